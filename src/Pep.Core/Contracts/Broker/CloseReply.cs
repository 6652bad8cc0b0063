namespace Pep.Core.Contracts.Broker;

/// <summary>What a Close moved (the transcript files' names) and the sessions of the instance it left for a later one.</summary>
public sealed record CloseReply(string Instance, string Destination, string[] Delivered, UnsealedSession[] StillOpen) : BrokerReply;
