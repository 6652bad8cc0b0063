using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Actions;
using Pep.Core.Storage;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Actions;

/// <summary>
/// Runs long stamp operations as tracked actions: the gateway, not the session's request, holds the work, so it goes on
/// when the cmdlet stops following it; its state is in the deployment's shared store (<see cref="ActionStore"/>) for
/// every instance to see. At most one Start-AzureStack or Stop-AzureStack runs on a stamp at a time (the store's
/// lifecycle claim). A gateway that stops cancels its actions and records them Interrupted; one that was killed
/// finds them still Running at its next start and records them Interrupted then (<see cref="InterruptLeftovers"/>).
/// </summary>
internal sealed class ActionRunner(ActionStore store, string instance, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    /// <summary>Actions running on one instance at once, all sessions together; more are refused (ActionLimitReached).</summary>
    public const int MaxRunning = 16;

    /// <summary>How long ended actions wait for their follower before their reply is dropped (the record stays).</summary>
    private static readonly TimeSpan KeptForFollower = TimeSpan.FromMinutes(10);

    /// <summary>Progress reaches the shared store at most this often (the follower sees each one from memory).</summary>
    private static readonly TimeSpan ProgressSaveInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, RunningAction> _actions = new(StringComparer.Ordinal);

    /// <summary>Records Interrupted the actions a previous run of this instance left Running; called once at start.</summary>
    public void InterruptLeftovers()
    {
        foreach (ActionRecord record in store.InterruptLeftovers(instance, time.GetUtcNow().UtcDateTime))
        {
            GatewayLog.ActionInterrupted(logger, record.Id, record.FunctionName, record.User, record.StartedUtc);
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> as an action of <paramref name="call"/>'s session, within <paramref name="limit"/>,
    /// and answers at once with its id, or refuses (another lifecycle action runs, too many actions, store unreachable).
    /// <paramref name="request"/> is a copy the action owns (its secrets are cleared when it ends).
    /// </summary>
    public BrokerReply Start(string functionName, bool lifecycle, BrokerRequest request, BrokerCall call, TimeSpan limit, Func<BrokerCall, BrokerReply> work)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(work);
        string user = call.Session.User;
        if (_actions.Values.Count(a => a.Record.IsRunning) >= MaxRunning)
        {
            request.ClearSecrets();
            GatewayLog.ActionRefused(logger, functionName, user, $"{MaxRunning} actions already run on this instance");
            return new BrokerFailure("ActionLimitReached", BrokerErrorCategory.ResourceBusy, $"{MaxRunning} actions already run on this instance; try again when one has ended.", functionName);
        }

        ActionRecord record = ActionRecord.Start(functionName, user, instance, call.Session.SessionId, time.GetUtcNow().UtcDateTime);
        try
        {
            // Saved before the claim is taken: an instance that finds a claim whose action it cannot read takes it over.
            store.Prune();
            store.Save(record);
            if (lifecycle && !store.TryClaimLifecycle(record.Id, out ActionRecord? holder))
            {
                store.Forget(record.Id);
                request.ClearSecrets();
                string who = holder is null ? "another action" : $"{holder.FunctionName} (action {holder.Id}, started by {holder.User} on {holder.Instance} at {holder.StartedUtc:u})";
                GatewayLog.ActionRefused(logger, functionName, user, $"{who} runs");
                return new BrokerFailure("StampActionInProgress", BrokerErrorCategory.ResourceBusy,
                    $"{who} is still running on this stamp; only one Start-AzureStack or Stop-AzureStack runs at a time. Get-ActionStatus follows it.", holder?.Id);
            }
        }
        catch (StoreUnavailableException e)
        {
            request.ClearSecrets();
            GatewayLog.ActionRefused(logger, functionName, user, "the shared store cannot be reached");
            return new BrokerFailure("ActionStoreUnavailable", BrokerErrorCategory.ResourceUnavailable, $"The deployment's shared store, which tracks actions, cannot be reached: {e.Message}", functionName);
        }

        var action = new RunningAction(record);
        _actions[record.Id] = action;
        GatewayLog.ActionStarted(logger, record.Id, functionName, user, call.Session.SessionId);
        _ = Task.Run(() => Run(action, lifecycle, request, call, limit, work), CancellationToken.None);
        return new ActionStartedReply(record);
    }

    /// <summary>The action, if this gateway holds it (running, or ended and not yet dropped).</summary>
    public RunningAction? Find(string id) => _actions.GetValueOrDefault(id);

    private void Run(RunningAction action, bool lifecycle, BrokerRequest request, BrokerCall call, TimeSpan limit, Func<BrokerCall, BrokerReply> work)
    {
        var elapsed = Stopwatch.StartNew();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cancel.CancelAfter(limit);
        long lastSave = time.GetTimestamp();
        void Report(BrokerReply interim)
        {
            action.Note(interim);
            if (interim is BrokerProgress progress && time.GetElapsedTime(lastSave) >= ProgressSaveInterval)
            {
                lastSave = time.GetTimestamp();
                Save(action, action.Record with { Progress = progress.Status, PercentComplete = Math.Max(progress.PercentComplete, 0) });
            }
        }

        BrokerReply reply;
        ActionState state;
        try
        {
            reply = work(new BrokerCall(call.Session, Report, cancel.Token));
            state = reply is BrokerFailure ? ActionState.Failed : ActionState.Succeeded;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            (reply, state) = stopping.IsCancellationRequested
                ? (new BrokerFailure("ActionInterrupted", BrokerErrorCategory.OperationStopped, $"The gateway of {instance} stopped before the action ended.", action.Id), ActionState.Interrupted)
                : (BrokerFailures.TimedOut(limit), ActionState.Failed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GatewayLog.ActionFailed(logger, action.Id, action.Record.FunctionName, e);
            (reply, state) = (BrokerFailures.Failed(), ActionState.Failed);
        }
        finally
        {
            request.ClearSecrets();
        }

        var failure = reply as BrokerFailure;
        ActionRecord ended = action.Record with
        {
            State = state,
            EndedUtc = time.GetUtcNow().UtcDateTime,
            Progress = state == ActionState.Succeeded ? "Done" : action.Record.Progress,
            PercentComplete = state == ActionState.Succeeded ? 100 : action.Record.PercentComplete,
            Summary = failure?.Message ?? ActionSummaries.Of(reply),
            ErrorId = failure?.ErrorId,
        };
        Save(action, ended);
        if (lifecycle)
        {
            try
            {
                store.ReleaseLifecycle(action.Id);
            }
            catch (StoreUnavailableException e)
            {
                GatewayLog.ActionStoreFailed(logger, action.Id, ended.FunctionName, e);
            }
        }

        GatewayLog.ActionEnded(logger, action.Id, ended.FunctionName, ended.User, state.ToString(), failure?.ErrorId ?? "Done", elapsed.Elapsed.TotalSeconds);
        action.End(reply);
        _ = Task.Delay(KeptForFollower, time, CancellationToken.None).ContinueWith(_ => _actions.TryRemove(action.Id, out RunningAction? _), TaskScheduler.Default);
    }

    private void Save(RunningAction action, ActionRecord record)
    {
        action.Record = record;
        try
        {
            store.Save(record);
        }
        catch (StoreUnavailableException e)
        {
            // The action goes on (or has ended) whether the store answers or not; its follower still gets its result.
            GatewayLog.ActionStoreFailed(logger, record.Id, record.FunctionName, e);
        }
    }
}
