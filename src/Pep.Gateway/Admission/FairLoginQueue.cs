namespace Pep.Gateway.Admission;

/// <summary>
/// The slots for password verification (<c>limits.maxConcurrentLogins</c>), handed out in turn to the sources
/// that wait: each freed slot goes to the next source in a round, and within a source to its oldest waiter.
/// So a source that sends a hundred logins at once waits behind its own, and an operator from another address
/// waits for at most one verification per other waiting source, not for the whole flood. Work-conserving: one
/// source alone gets every slot.
/// </summary>
internal sealed class FairLoginQueue
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedList<TaskCompletionSource>> _waiting = [];
    private readonly LinkedList<string> _round = [];
    private int _free;

    public FairLoginQueue(int slots) => _free = slots;

    /// <summary>Sources with a login waiting for a slot.</summary>
    public int WaitingSources
    {
        get
        {
            lock (_lock)
            {
                return _round.Count;
            }
        }
    }

    /// <summary>A slot for <paramref name="source"/>, to dispose when the verification is done; null when <paramref name="timeout"/> passed first.</summary>
    public async Task<IDisposable?> EnterAsync(string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_free > 0 && _round.Count == 0)
            {
                _free--;
                return new Slot(this);
            }

            if (!_waiting.TryGetValue(source, out LinkedList<TaskCompletionSource>? queue))
            {
                _waiting[source] = queue = [];
                _round.AddLast(source);
            }

            node = queue.AddLast(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken);
            return new Slot(this);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            bool granted;
            lock (_lock)
            {
                granted = waiter.Task.IsCompleted;
                if (!granted)
                {
                    Forget(source, node);
                }
            }

            if (granted)
            {
                // Granted in the same instant as the timeout: the slot was ours, and goes to the next waiter.
                Release();
            }

            if (e is TimeoutException)
            {
                return null;
            }

            throw;
        }
    }

    private void Forget(string source, LinkedListNode<TaskCompletionSource> node)
    {
        LinkedList<TaskCompletionSource> queue = _waiting[source];
        queue.Remove(node);
        if (queue.Count == 0)
        {
            _waiting.Remove(source);
            _round.Remove(source);
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            if (_round.First is not { } next)
            {
                _free++;
                return;
            }

            string source = next.Value;
            LinkedList<TaskCompletionSource> queue = _waiting[source];
            TaskCompletionSource first = queue.First!.Value;
            queue.RemoveFirst();
            _round.RemoveFirst();
            if (queue.Count > 0)
            {
                _round.AddLast(source);
            }
            else
            {
                _waiting.Remove(source);
            }

            first.SetResult();
        }
    }

    private sealed class Slot(FairLoginQueue queue) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
