using System.Diagnostics;

namespace Pep.Gateway.Login;

/// <summary>The time a login has left to be admitted (verified, and given a host start slot), on the monotonic clock.</summary>
internal readonly struct AdmissionDeadline(TimeSpan wait)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long _end = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);

    public TimeSpan Remaining => TimeSpan.FromSeconds(Math.Max(0, _end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>Since the login's request arrived.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);
}
