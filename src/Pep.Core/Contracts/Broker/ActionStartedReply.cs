namespace Pep.Core.Contracts.Broker;

/// <summary>The gateway took the work as a tracked action: the cmdlet follows it with <see cref="FollowActionRequest"/>.</summary>
public sealed record ActionStartedReply(string ActionId) : BrokerReply;
