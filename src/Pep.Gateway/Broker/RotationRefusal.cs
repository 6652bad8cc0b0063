using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Broker;

/// <summary>A refusal found while a secret rotation is planned, carried from the helper that found it to the one reply.</summary>
internal sealed class RotationRefusal(BrokerFailure failure) : Exception(failure.Message)
{
    public BrokerFailure Failure { get; } = failure;
}
