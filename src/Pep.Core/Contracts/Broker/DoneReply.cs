namespace Pep.Core.Contracts.Broker;

/// <summary>The request was done (or, for a check, would be allowed); <see cref="Message"/> is a line for the operator, if any.</summary>
public sealed record DoneReply(string? Message) : BrokerReply;
