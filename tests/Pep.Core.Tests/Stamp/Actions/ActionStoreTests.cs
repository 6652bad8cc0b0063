using Microsoft.Data.Sqlite;
using Pep.Core.Stamp.Actions;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Stamp.Actions;

/// <summary>Tracked actions in the shared store, seen by two instances through two connections to one database.</summary>
public sealed class ActionStoreTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 30, 1, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-actions-").FullName;
    private readonly ActionStore _first;
    private readonly ActionStore _second;

    public ActionStoreTests()
    {
        string database = Path.Combine(_directory, "accounts.db");
        _first = new ActionStore(new SqliteSettingsStore(database));
        _second = new ActionStore(new SqliteSettingsStore(database));
    }

    [Fact]
    public void AnActionSavedByOneInstance_IsListedByAnother_NewestFirst()
    {
        ActionRecord older = ActionRecord.Start("Stop-AzureStack", "AZURESTACK\\a", "ERCS01", Guid.NewGuid(), Now);
        ActionRecord newer = ActionRecord.Start("Get-AzureStackLog", "AZURESTACK\\b", "ERCS02", Guid.NewGuid(), Now.AddMinutes(1));
        _first.Save(older);
        _second.Save(newer);

        Assert.Equal([newer, older], _second.List());
        Assert.Equal(older, _second.Get(older.Id));
    }

    [Fact]
    public void TheLifecycleClaim_IsHeldByOneRunningActionAtATime_AndFreeOnceItEnds()
    {
        ActionRecord stop = ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), Now);
        ActionRecord start = ActionRecord.Start("Start-AzureStack", "u", "ERCS02", Guid.NewGuid(), Now);
        _first.Save(stop);

        Assert.True(_first.TryClaimLifecycle(stop.Id, out _));
        Assert.False(_second.TryClaimLifecycle(start.Id, out ActionRecord? holder));
        Assert.Equal(stop.Id, holder?.Id);

        _first.Save(stop with { State = ActionState.Succeeded, EndedUtc = Now });
        _first.ReleaseLifecycle(stop.Id);

        Assert.True(_second.TryClaimLifecycle(start.Id, out _));
    }

    [Fact]
    public void AClaimWhoseActionNoLongerRuns_IsTakenOver_AndAReleaseByAnOlderActionLeavesTheNewClaim()
    {
        ActionRecord crashed = ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), Now);
        ActionRecord next = ActionRecord.Start("Start-AzureStack", "u", "ERCS02", Guid.NewGuid(), Now);
        ActionRecord third = ActionRecord.Start("Stop-AzureStack", "u", "ERCS02", Guid.NewGuid(), Now);
        _first.Save(crashed);
        Assert.True(_first.TryClaimLifecycle(crashed.Id, out _));
        _first.Save(crashed with { State = ActionState.Interrupted });

        Assert.True(_second.TryClaimLifecycle(next.Id, out _));
        _second.Save(next);
        _first.ReleaseLifecycle(crashed.Id);

        Assert.False(_first.TryClaimLifecycle(third.Id, out ActionRecord? holder));
        Assert.Equal(next.Id, holder?.Id);
    }

    [Fact]
    public void InterruptLeftovers_MarksOnlyThatInstancesRunningActions_AndFreesTheirClaim()
    {
        ActionRecord mine = ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), Now);
        ActionRecord othersRunning = ActionRecord.Start("Get-AzureStackLog", "u", "ERCS02", Guid.NewGuid(), Now);
        ActionRecord mineEnded = ActionRecord.Start("Get-AzureStackLog", "u", "ERCS01", Guid.NewGuid(), Now) with { State = ActionState.Succeeded, EndedUtc = Now };
        foreach (ActionRecord record in new[] { mine, othersRunning, mineEnded })
        {
            _first.Save(record);
        }

        Assert.True(_first.TryClaimLifecycle(mine.Id, out _));

        ActionRecord interrupted = Assert.Single(_second.InterruptLeftovers("ERCS01", Now.AddHours(1)));

        Assert.Equal((mine.Id, ActionState.Interrupted, "ActionInterrupted", (DateTime?)Now.AddHours(1)), (interrupted.Id, interrupted.State, interrupted.ErrorId, interrupted.EndedUtc));
        Assert.Equal(ActionState.Interrupted, _first.Get(mine.Id)!.State);
        Assert.Equal(ActionState.Running, _first.Get(othersRunning.Id)!.State);
        Assert.Equal(ActionState.Succeeded, _first.Get(mineEnded.Id)!.State);
        Assert.True(_first.TryClaimLifecycle(othersRunning.Id, out _));
    }

    [Fact]
    public void ARefusedActionIsForgotten_AndTheRunningHolderKeepsTheClaim()
    {
        ActionRecord holder = ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), Now);
        ActionRecord refused = ActionRecord.Start("Start-AzureStack", "u", "ERCS02", Guid.NewGuid(), Now);
        _first.Save(holder);
        Assert.True(_first.TryClaimLifecycle(holder.Id, out _));
        _second.Save(refused);

        Assert.False(_second.TryClaimLifecycle(refused.Id, out _));
        _second.Forget(refused.Id);

        Assert.Equal([holder], _first.List());
        Assert.False(_first.TryClaimLifecycle(refused.Id, out ActionRecord? still));
        Assert.Equal(holder.Id, still?.Id);
    }

    [Fact]
    public void Prune_KeepsRunningActionsAndTheNewestEndedOnes()
    {
        ActionRecord running = ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), Now.AddDays(-1));
        _first.Save(running);
        for (int i = 0; i < ActionStore.KeptFinished + 3; i++)
        {
            _first.Save(ActionRecord.Start("Get-AzureStackLog", "u", "ERCS01", Guid.NewGuid(), Now.AddMinutes(i)) with { State = ActionState.Failed, EndedUtc = Now });
        }

        _first.Prune();

        IReadOnlyList<ActionRecord> left = _second.List();
        Assert.Equal(ActionStore.KeptFinished + 1, left.Count);
        Assert.Contains(running, left);
        Assert.DoesNotContain(left, r => r.StartedUtc < Now.AddMinutes(3) && !r.IsRunning);
    }

    [Fact]
    public void AValueUnderTheActionsFolderThatIsNotARecord_IsLeftOut()
    {
        var settings = new SqliteSettingsStore(Path.Combine(_directory, "accounts.db"));
        settings.Set(ActionStore.RecordPrefix + "0123456789abcdef0123456789abcdef", "not json");

        Assert.Empty(_first.List());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
