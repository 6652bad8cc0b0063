using Pep.Core.Deployment;

namespace Pep.Gateway.Admission;

/// <summary>
/// Everything that stands before authentication, made once per instance: the connection gate (before TLS),
/// the per-source throttle of failed logins, the fair queue of password verifications and the summarised
/// refusal log, with the timer that writes that log and forgets sources with nothing left to remember.
/// </summary>
internal sealed class PreAuthGuard : IDisposable
{
    private readonly ITimer _housekeeping;

    public PreAuthGuard(GatewayLimits limits, TimeProvider time)
    {
        Refusals = new RefusalLog();
        Gate = new ConnectionGate(limits, Refusals, time);
        Throttle = new SourceLoginThrottle(limits, time);
        Verifications = new FairLoginQueue(limits.MaxConcurrentLogins);
        TimeSpan interval = TimeSpan.FromSeconds(Math.Max(1, limits.RefusalLogIntervalSeconds));
        _housekeeping = time.CreateTimer(_ =>
        {
            Refusals.Flush(interval);
            Gate.Prune();
            Throttle.Prune();
        }, null, interval, interval);
    }

    public RefusalLog Refusals { get; }

    public ConnectionGate Gate { get; }

    public SourceLoginThrottle Throttle { get; }

    public FairLoginQueue Verifications { get; }

    public void Dispose() => _housekeeping.Dispose();
}
