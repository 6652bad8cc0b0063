using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Actions;
using Pep.Core.Storage;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Actions;

/// <summary>Following an action from the session that started it, and Get-ActionStatus over the deployment's store.</summary>
internal sealed class ActionRequests(ActionRunner runner, ActionStore store)
{
    /// <summary>How long one follow request waits for the action to end before it answers "still running".</summary>
    private static readonly TimeSpan FollowWindow = TimeSpan.FromSeconds(2);

    public BrokerReply Follow(FollowActionRequest request, BrokerCall call)
    {
        if (runner.Find(request.ActionId) is not { } action || action.Record.SessionId != call.Session.SessionId)
        {
            // Another session's action, or one this gateway does not hold: the same answer, so a session learns nothing of others'.
            return new BrokerFailure("ActionNotFound", BrokerErrorCategory.ObjectNotFound,
                $"This session is following no action {request.ActionId} on this instance; Get-ActionStatus lists the actions.", request.ActionId);
        }

        bool ended = action.Ended.Wait(FollowWindow, call.Cancellation);
        if (action.LatestProgress is { } progress && !ended)
        {
            call.Report(progress);
        }

        foreach (BrokerReply note in action.TakeNotes())
        {
            call.Report(note);
        }

        if (ended)
        {
            return action.Ended.Result;
        }

        return new ActionRunningReply(action.Id, action.LatestProgress?.Status ?? action.Record.Progress, action.LatestProgress?.PercentComplete ?? -1);
    }

    public BrokerReply Status(GetActionStatusRequest request)
    {
        try
        {
            ActionRecord[] actions = [.. store.List().Where(a => request.FunctionName is null || string.Equals(a.FunctionName, request.FunctionName, StringComparison.OrdinalIgnoreCase))];
            return new ActionStatusReply(actions);
        }
        catch (StoreUnavailableException e)
        {
            return new BrokerFailure("ActionStoreUnavailable", BrokerErrorCategory.ResourceUnavailable, $"The deployment's shared store, which tracks actions, cannot be reached: {e.Message}", "actions");
        }
    }
}
