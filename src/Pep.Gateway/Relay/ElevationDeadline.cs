namespace Pep.Gateway.Relay;

/// <summary>
/// The end of a session's support elevation, held by the gateway, not by the elevated host: one elevation per
/// session, at most <see cref="Ceiling"/> and the deployment's maximum, measured on the gateway's own monotonic clock
/// (<see cref="TimeProvider.CreateTimer"/>) from the moment the host said it elevates. <see cref="Ended"/> completes
/// when the time runs out; the relay then kills the session's cgroup and seals it.
/// </summary>
internal sealed class ElevationDeadline : IDisposable
{
    /// <summary>No elevation lasts longer, whatever a grant or a deployment says.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromHours(8);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _maximum;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private bool _started;

    /// <summary>An elevation's end on <paramref name="time"/>, at most <paramref name="maximum"/> (the deployment's <c>support.maxElevationSeconds</c>) and <see cref="Ceiling"/>.</summary>
    public ElevationDeadline(TimeProvider time, TimeSpan maximum)
    {
        _time = time;
        _maximum = maximum > TimeSpan.Zero && maximum < Ceiling ? maximum : Ceiling;
    }

    /// <summary>Completes once, when a started elevation's time has run out.</summary>
    public Task Ended => _ended.Task;

    /// <summary>
    /// Starts the session's one elevation for what the host asked (bounded); the time it will last, or null when the
    /// session has elevated before (refused: the first one's end stands).
    /// </summary>
    public TimeSpan? TryStart(TimeSpan requested)
    {
        lock (_gate)
        {
            if (_started)
            {
                return null;
            }

            _started = true;
            TimeSpan duration = requested < TimeSpan.Zero ? TimeSpan.Zero : requested < _maximum ? requested : _maximum;
            _timer = _time.CreateTimer(_ => _ended.TrySetResult(), null, duration, Timeout.InfiniteTimeSpan);
            return duration;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }
}
