using Pep.Core.Deployment;

namespace Pep.Gateway.Admission;

/// <summary>
/// Failed logins slow down and then block the source that makes them, whatever account it tries: after
/// <c>limits.loginFailuresBeforeSlowdown</c> failures each further attempt waits one step more (at most 8
/// steps), after <c>limits.loginFailuresBeforeBlock</c> the source is refused without any check for
/// <c>limits.sourceBlockMinutes</c>. A success forgets the source's failures; so do as many minutes without
/// one. Known and unknown accounts count alike, so the answer says nothing about which exist. In memory, per
/// instance, pruned of sources with nothing to remember.
/// </summary>
internal sealed class SourceLoginThrottle
{
    private const int MaxSlowdownSteps = 8;
    private readonly GatewayLimits _limits;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourceFailures> _sources = [];

    public SourceLoginThrottle(GatewayLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
    }

    private TimeSpan Memory => TimeSpan.FromMinutes(_limits.SourceBlockMinutes);

    /// <summary>What the next attempt from <paramref name="source"/> must do: wait, or be refused until a time.</summary>
    public SourceVerdict Check(string source)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_sources.TryGetValue(source, out SourceFailures? failures) || Forgotten(failures, now))
            {
                return SourceVerdict.Free;
            }

            if (failures.BlockedUntil is { } until && until > now)
            {
                return new SourceVerdict(TimeSpan.Zero, until);
            }

            int steps = Math.Min(failures.Count - _limits.LoginFailuresBeforeSlowdown, MaxSlowdownSteps);
            return steps > 0 ? new SourceVerdict(TimeSpan.FromSeconds(_limits.LoginSlowdownStepSeconds * steps), null) : SourceVerdict.Free;
        }
    }

    public void Failed(string source)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_sources.TryGetValue(source, out SourceFailures? failures) || Forgotten(failures, now))
            {
                _sources[source] = failures = new SourceFailures();
            }

            failures.Count++;
            failures.Last = now;
            if (failures.Count >= _limits.LoginFailuresBeforeBlock)
            {
                failures.BlockedUntil = now + Memory;
            }
        }
    }

    public void Succeeded(string source)
    {
        lock (_lock)
        {
            _sources.Remove(source);
        }
    }

    /// <summary>Forgets sources whose failures are old and that are not blocked.</summary>
    public void Prune()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (string source in _sources.Where(pair => Forgotten(pair.Value, now)).Select(pair => pair.Key).ToList())
            {
                _sources.Remove(source);
            }
        }
    }

    private bool Forgotten(SourceFailures failures, DateTimeOffset now)
        => now - failures.Last >= Memory && (failures.BlockedUntil is not { } until || until <= now);

    private sealed class SourceFailures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; }

        public DateTimeOffset? BlockedUntil { get; set; }
    }
}
