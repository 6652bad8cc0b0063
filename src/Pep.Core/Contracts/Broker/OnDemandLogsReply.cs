namespace Pep.Core.Contracts.Broker;

/// <summary>Each role's on-demand log command and how it ended, in the manifest's order.</summary>
public sealed record OnDemandLogsReply(OnDemandLogOutcome[] Roles) : BrokerReply;
