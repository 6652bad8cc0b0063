using Pep.Core.Contracts.Broker;
using Pep.Core.Sessions;

namespace Pep.Gateway.Broker;

/// <summary>
/// One request being served: the session it acts for (known by the socket it came on, never from the request),
/// a way to send interim replies, and a token cancelled when the host goes away, the request times out or the
/// session ends.
/// </summary>
internal sealed class BrokerCall(SessionIdentity session, Action<BrokerReply> report, CancellationToken cancellation)
{
    public SessionIdentity Session { get; } = session;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Sends progress, a warning or a verbose line to the cmdlet now.</summary>
    public void Report(BrokerReply interim)
    {
        ArgumentNullException.ThrowIfNull(interim);
        if (interim.IsFinal)
        {
            throw new ArgumentException("Only interim replies are reported; the final one is returned.", nameof(interim));
        }

        report(interim);
    }
}
