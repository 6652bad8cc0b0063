using System.Net;
using Microsoft.AspNetCore.Connections;
using Pep.Core.Deployment;

namespace Pep.Gateway.Admission;

/// <summary>
/// Kestrel connection middleware, before TLS: a new connection is closed at once, before any handshake, when
/// its source already holds <c>limits.maxPreAuthConnectionsPerSource</c> connections not yet logged in, opens
/// connections faster than its <c>limits.connectionBurstPerSource</c> and <c>limits.connectionsPerSourcePerMinute</c>
/// allow, or when <c>limits.maxPreAuthConnections</c> are held by all sources together. A connection that logs in
/// leaves this count (<see cref="PreAuthLease"/>) for a session slot, which pre-authentication connections
/// never take: idle, half-open or slow connections cannot keep an operator from the last slots.
/// </summary>
internal sealed class ConnectionGate
{
    private readonly GatewayLimits _limits;
    private readonly RefusalLog _refusals;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourceConnections> _sources = [];
    private int _preAuth;

    public ConnectionGate(GatewayLimits limits, RefusalLog refusals, TimeProvider time)
    {
        _limits = limits;
        _refusals = refusals;
        _time = time;
    }

    /// <summary>Connections not yet logged in, all sources together.</summary>
    public int PreAuthConnections => Volatile.Read(ref _preAuth);

    public async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        string source = SourceAddress.KeyOf((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (TryAdmit(source, out ConnectionRefusal refusal) is not { } lease)
        {
            _refusals.Record(source, refusal);
            connection.Abort();
            return;
        }

        using (lease)
        {
            connection.Features.Set(lease);
            await next(connection);
        }
    }

    /// <summary>A lease on a pre-authentication place for <paramref name="source"/>, or null with the reason.</summary>
    public PreAuthLease? TryAdmit(string source, out ConnectionRefusal refusal)
    {
        lock (_lock)
        {
            if (!_sources.TryGetValue(source, out SourceConnections? connections))
            {
                _sources[source] = connections = new SourceConnections(
                    new TokenBucket(_limits.ConnectionBurstPerSource, _limits.ConnectionsPerSourcePerMinute / 60.0, _time));
            }

            if (connections.PreAuth >= _limits.MaxPreAuthConnectionsPerSource)
            {
                refusal = ConnectionRefusal.SourceConnectionLimit;
                return null;
            }

            if (_preAuth >= _limits.MaxPreAuthConnections)
            {
                refusal = ConnectionRefusal.PreAuthCapacity;
                return null;
            }

            if (!connections.Rate.TryTake())
            {
                refusal = ConnectionRefusal.SourceConnectionRate;
                return null;
            }

            connections.PreAuth++;
            _preAuth++;
        }

        refusal = default;
        return new PreAuthLease(() => Leave(source));
    }

    /// <summary>Forgets sources with no connection and a full bucket: remembering them would change nothing.</summary>
    public void Prune()
    {
        lock (_lock)
        {
            foreach (string source in _sources.Where(pair => pair.Value.PreAuth == 0 && pair.Value.Rate.IsFull()).Select(pair => pair.Key).ToList())
            {
                _sources.Remove(source);
            }
        }
    }

    private void Leave(string source)
    {
        lock (_lock)
        {
            _sources[source].PreAuth--;
            _preAuth--;
        }
    }

    private sealed class SourceConnections(TokenBucket rate)
    {
        public TokenBucket Rate { get; } = rate;

        public int PreAuth { get; set; }
    }
}
