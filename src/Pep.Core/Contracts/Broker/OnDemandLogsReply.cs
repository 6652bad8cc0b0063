namespace Pep.Core.Contracts.Broker;

/// <summary>Each role's on-demand log command and how it ended, in the manifest's order; and, when an output path was given, the collection of what they wrote.</summary>
public sealed record OnDemandLogsReply(OnDemandLogOutcome[] Roles, StampLogsReply? Collected) : BrokerReply;
