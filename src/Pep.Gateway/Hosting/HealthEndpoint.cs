using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Storage;
using Pep.Gateway.Login;
using Pep.Gateway.Transcripts;

namespace Pep.Gateway.Hosting;

/// <summary>
/// <c>GET /health</c> for load balancers: 200 when the instance can take sessions, 503 when it cannot
/// (transcripts not writable or not sealable, shared store unreachable). It answers anyone, before
/// authentication, so each source address has a token bucket (<see cref="HealthSettings"/>); past it the
/// answer is 429 with Retry-After, and nothing is checked.
/// </summary>
internal sealed class HealthEndpoint : IDisposable
{
    public const string Path = "/health";

    private static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(2);

    private readonly string _instance;
    private readonly SessionStarter _sessions;
    private readonly TranscriptSealer _sealer;
    private readonly SharedState _shared;
    private readonly TranscriptHealth _transcripts;
    private readonly PartitionedRateLimiter<IPAddress> _perSource;

    private readonly bool _contained;

    /// <summary><paramref name="contained"/>: whether session hosts run in a cgroup per session (reported as <c>containment</c>: <c>Cgroup</c> or <c>Off</c>).</summary>
    public HealthEndpoint(GatewayOptions options, HealthSettings settings, SessionStarter sessions, TranscriptSealer sealer, SharedState shared, bool contained)
    {
        _contained = contained;
        _instance = options.InstanceName.ToUpperInvariant();
        _sessions = sessions;
        _sealer = sealer;
        _shared = shared;
        _transcripts = new TranscriptHealth(options.Layout.TranscriptDirectory(options.InstanceName), settings.TranscriptProbeInterval, options.Time,
            () => TranscriptFolder.IsWritable(options.Layout, options.InstanceName));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = settings.RequestInterval,
            QueueLimit = 0,
            // The partitioned limiter replenishes its buckets from one timer, and drops those of sources gone quiet.
            AutoReplenishment = false,
        };
        _perSource = PartitionedRateLimiter.Create<IPAddress, IPAddress>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ => bucket));
    }

    /// <summary>The SSH front door's state (<c>Running</c>, <c>NotRunning</c>); null when the instance has no SSH door.</summary>
    public Func<string>? SshDoorState { get; set; }

    public async Task HandleAsync(HttpContext context)
    {
        IPAddress source = context.Connection.RemoteIpAddress ?? IPAddress.None;
        using RateLimitLease lease = _perSource.AttemptAcquire(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source);
        if (!lease.IsAcquired)
        {
            TimeSpan wait = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return;
        }

        bool writable = _transcripts.IsWritable();
        bool sealable = _sealer.CanSeal();
        bool transcribing = writable && sealable;
        bool storeReachable = await Task.Run(() => _shared.IsReachable(StoreCheckTimeout), context.RequestAborted);
        string sshDoor = SshDoorState?.Invoke() ?? "Off";
        bool healthy = transcribing && storeReachable && sshDoor != "NotRunning";
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        var health = new
        {
            instance = _instance,
            status = healthy ? "Healthy" : "Unhealthy",
            transcripts = !writable ? "NotWritable" : !sealable ? "CannotSeal" : "Writable",
            store = storeReachable ? "Reachable" : "Unreachable",
            sessions = _sessions.ActiveSessions,
            containment = _contained ? "Cgroup" : "Off",
            sshDoor,
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, health, JsonFiles.Options, context.RequestAborted);
    }

    public void Dispose() => _perSource.Dispose();
}
