using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Broker;

/// <summary>Does what a session's broker request asks, for the session the socket belongs to.</summary>
internal interface IBrokerHandler
{
    /// <summary>The final reply (a result or a <see cref="BrokerFailure"/>); interim replies go through <see cref="BrokerCall.Report"/>.</summary>
    Task<BrokerReply> HandleAsync(BrokerRequest request, BrokerCall call);

    /// <summary>How long the request may take before it is cancelled.</summary>
    TimeSpan TimeoutFor(BrokerRequest request);
}
