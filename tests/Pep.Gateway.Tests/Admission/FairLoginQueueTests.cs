using Pep.Gateway.Admission;

namespace Pep.Gateway.Tests.Admission;

public sealed class FairLoginQueueTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task FreedSlots_GoToWaitingSourcesInTurn_NotToTheSourceThatQueuedMost()
    {
        var queue = new FairLoginQueue(1);
        IDisposable held = (await queue.EnterAsync("flood", Long, CancellationToken.None))!;
        var order = new List<string>();
        List<Task> flood = [.. Enumerable.Range(0, 5).Select(_ => EnterAndRecord(queue, "flood", order))];
        Task operatorLogin = EnterAndRecord(queue, "operator", order);

        held.Dispose();
        await Task.WhenAll([.. flood, operatorLogin]);

        // The operator queued last, behind five of the flood's, and was served second.
        Assert.Equal(["flood", "operator", "flood", "flood", "flood", "flood"], order);
    }

    [Fact]
    public async Task OneSourceAlone_GetsEverySlot()
    {
        var queue = new FairLoginQueue(3);

        IDisposable?[] slots = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => queue.EnterAsync("burst", TimeSpan.Zero, CancellationToken.None)));

        Assert.All(slots, Assert.NotNull);
    }

    [Fact]
    public async Task AWaiterWhoseTimeRunsOut_GetsNull_AndLeavesTheQueue()
    {
        var queue = new FairLoginQueue(1);
        IDisposable held = (await queue.EnterAsync("a", Long, CancellationToken.None))!;

        Assert.Null(await queue.EnterAsync("b", TimeSpan.FromMilliseconds(20), CancellationToken.None));
        Assert.Equal(0, queue.WaitingSources);

        held.Dispose();
        Assert.NotNull(await queue.EnterAsync("c", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task ACancelledWaiter_LeavesTheQueue_AndItsSlotGoesToTheNext()
    {
        var queue = new FairLoginQueue(1);
        IDisposable held = (await queue.EnterAsync("a", Long, CancellationToken.None))!;
        using var cancel = new CancellationTokenSource();
        Task<IDisposable?> cancelled = queue.EnterAsync("b", Long, cancel.Token);
        Task<IDisposable?> next = queue.EnterAsync("c", Long, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();

        Assert.NotNull(await next.WaitAsync(Long));
    }

    [Fact]
    public async Task ASlotDisposedTwice_FreesOnlyOneSlot()
    {
        var queue = new FairLoginQueue(1);
        IDisposable slot = (await queue.EnterAsync("a", Long, CancellationToken.None))!;
        slot.Dispose();
        slot.Dispose();

        Assert.NotNull(await queue.EnterAsync("b", TimeSpan.Zero, CancellationToken.None));
        Assert.Null(await queue.EnterAsync("c", TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    private static async Task EnterAndRecord(FairLoginQueue queue, string source, List<string> order)
    {
        using IDisposable slot = (await queue.EnterAsync(source, Long, CancellationToken.None))!;
        lock (order)
        {
            order.Add(source);
        }
    }
}
