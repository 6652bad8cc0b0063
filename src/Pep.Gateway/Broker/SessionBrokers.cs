using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;

namespace Pep.Gateway.Broker;

/// <summary>Opens the broker of each session host of one instance, all served by the instance's one handler.</summary>
internal sealed class SessionBrokers(StateLayout layout, string instance, IBrokerHandler handler, ILogger logger)
{
    public SessionBroker Open(Guid sessionId) => SessionBroker.Listen(BrokerSocketPath.For(layout, instance, sessionId), sessionId, handler, logger);

    /// <summary>Removes the sockets a previous run of the instance left; no host of this run exists yet.</summary>
    public void DeleteLeftovers() => BrokerSocketPath.DeleteLeftovers(layout, instance);
}
