using Pep.Core.Stamp.Actions;

namespace Pep.Core.Contracts.Broker;

/// <summary>Tracked actions as the shared store holds them, newest first.</summary>
public sealed record ActionStatusReply(ActionRecord[] Actions) : BrokerReply;
