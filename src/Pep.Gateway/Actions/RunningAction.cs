using System.Collections.Concurrent;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Actions;

namespace Pep.Gateway.Actions;

/// <summary>
/// An action this gateway holds: its record as last saved, its latest progress, the warnings and verbose lines its
/// follower has not read yet (bounded), and, once ended, its final reply for the follower.
/// </summary>
internal sealed class RunningAction(ActionRecord record)
{
    /// <summary>Warnings and verbose lines kept for a follower that does not read them; beyond, the oldest go.</summary>
    private const int MaxQueued = 1000;

    private readonly ConcurrentQueue<BrokerReply> _notes = new();
    private readonly TaskCompletionSource<BrokerReply> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BrokerProgress? _progress;

    public ActionRecord Record { get; set; } = record;

    public string Id => Record.Id;

    /// <summary>Completes with the action's final reply (its result or failure).</summary>
    public Task<BrokerReply> Ended => _ended.Task;

    public BrokerProgress? LatestProgress => Volatile.Read(ref _progress);

    /// <summary>Keeps an interim reply for the follower: progress replaces the previous one; warnings and verbose lines queue.</summary>
    public void Note(BrokerReply interim)
    {
        if (interim is BrokerProgress progress)
        {
            Volatile.Write(ref _progress, progress);
            return;
        }

        _notes.Enqueue(interim);
        while (_notes.Count > MaxQueued && _notes.TryDequeue(out _))
        {
        }
    }

    /// <summary>The warnings and verbose lines not read yet, in order.</summary>
    public IEnumerable<BrokerReply> TakeNotes()
    {
        while (_notes.TryDequeue(out BrokerReply? note))
        {
            yield return note;
        }
    }

    public void End(BrokerReply reply) => _ended.TrySetResult(reply);
}
