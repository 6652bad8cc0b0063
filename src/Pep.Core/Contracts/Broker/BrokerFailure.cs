namespace Pep.Core.Contracts.Broker;

/// <summary>
/// The request was not done: the cmdlet ends with this error id, category, message and target, as it would have
/// had it done the work itself. The message never holds a secret.
/// </summary>
public sealed record BrokerFailure(string ErrorId, BrokerErrorCategory Category, string Message, string? Target) : BrokerReply;
