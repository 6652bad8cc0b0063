using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;

namespace Pep.Gateway.Broker;

/// <summary>Opens the broker of each session host of one instance, all served by the instance's one handler.</summary>
internal sealed class SessionBrokers
{
    private readonly StateLayout _layout;
    private readonly string _instance;
    private readonly IBrokerHandler _handler;
    private readonly ILogger _logger;

    /// <summary>Refuses, at the gateway's start, a state directory too long for the sessions' socket paths.</summary>
    public SessionBrokers(StateLayout layout, string instance, IBrokerHandler handler, ILogger logger)
    {
        BrokerSocketPath.CheckFits(layout, instance);
        _layout = layout;
        _instance = instance;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>Opens a session's broker for its host, which runs as <paramref name="access"/>'s account (null: as the gateway's own).</summary>
    public SessionBroker Open(Guid sessionId, BrokerSocketAccess? access)
        => SessionBroker.Listen(BrokerSocketPath.For(_layout, _instance, sessionId), sessionId, _handler, _logger, access);

    /// <summary>Removes the sockets a previous run of the instance left; no host of this run exists yet.</summary>
    public void DeleteLeftovers() => BrokerSocketPath.DeleteLeftovers(_layout, _instance);
}
