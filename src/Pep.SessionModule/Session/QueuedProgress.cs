using System.Collections.Concurrent;

namespace Pep.SessionModule.Session;

/// <summary>
/// Progress reported from background tasks, queued for the pipeline thread to write (PowerShell forbids
/// Write* calls from any other thread).
/// </summary>
public sealed class QueuedProgress<T> : IProgress<T>
{
    private readonly ConcurrentQueue<T> _queue = new();

    public void Report(T value) => _queue.Enqueue(value);

    public IEnumerable<T> Drain()
    {
        while (_queue.TryDequeue(out T? item))
        {
            yield return item;
        }
    }
}
