using System.Diagnostics;

namespace Pep.Gateway.Login;

/// <summary>
/// One of the few session host starts the gateway runs at once (see <c>limits.maxConcurrentHostStarts</c>). Held
/// from the start of a cold host until the host says it is ready, or its session ends; releasing twice is harmless.
/// </summary>
internal sealed class HostStartSlot : IDisposable
{
    private readonly SemaphoreSlim _starts;
    private readonly long _taken = Stopwatch.GetTimestamp();
    private int _released;

    private HostStartSlot(SemaphoreSlim starts) => _starts = starts;

    /// <summary>Time since the slot was taken: how long the host took to be ready.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_taken);

    /// <summary>Waits for a free slot; null when none frees up within <paramref name="wait"/>.</summary>
    public static async Task<HostStartSlot?> TryTakeAsync(SemaphoreSlim starts, TimeSpan wait, CancellationToken cancellationToken)
        => await starts.WaitAsync(wait, cancellationToken) ? new HostStartSlot(starts) : null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            try
            {
                _starts.Release();
            }
            catch (ObjectDisposedException)
            {
                // The gateway has stopped: no host starts any more.
            }
        }
    }
}
