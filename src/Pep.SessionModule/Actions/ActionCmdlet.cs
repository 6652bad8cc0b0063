using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Actions;

/// <summary>
/// Base of the cmdlets whose work is a tracked action of the gateway (Start-/Stop-AzureStack, Start-SecretRotation,
/// Get-AzureStackLog, Get-ClusterLog, Invoke-AzureStackOnDemandLog): they follow it to its end, or, with -AsJob as the original has,
/// return at once the action's status object, which Get-ActionStatus follows from any session of any instance.
/// </summary>
public abstract class ActionCmdlet : StampCmdlet
{
    /// <summary>
    /// Starts the action and returns at once an <see cref="ActionStatus"/> naming it (ActionId, FunctionName, State),
    /// instead of waiting: the gateway holds the action, and Get-ActionStatus reports it until it ends. A restricted
    /// session has no job cmdlets (Get-Job, Receive-Job), so the action, not a PowerShell job, is what runs in the background.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>
    /// Runs <paramref name="request"/> as a tracked action: followed to its end, its result returned; or, with -AsJob, started,
    /// its status object written, and null returned (the caller then writes nothing more).
    /// </summary>
    protected TReply? RunOrStartAction<TReply>(BrokerRequest request, string activity, int progressId)
        where TReply : BrokerReply
    {
        try
        {
            ActionStartedReply started = StartAction(request, activity, progressId);
            if (AsJob)
            {
                WriteObject(ActionStatus.From(started.Action));
                WriteHostLine($"{started.Action.FunctionName} runs at the endpoint as action {started.ActionId}; Get-ActionStatus -FunctionName {started.Action.FunctionName} follows it.");
                return null;
            }

            return FollowAction<TReply>(started, activity, progressId);
        }
        finally
        {
            CompleteProgress(progressId, activity);
        }
    }
}
