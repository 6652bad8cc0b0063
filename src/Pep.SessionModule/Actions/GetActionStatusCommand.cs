using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Actions;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Actions;

/// <summary>
/// Get-ActionStatus: the long operations the endpoint's gateways hold as tracked actions (Start-AzureStack,
/// Stop-AzureStack, Start-SecretRotation, Get-AzureStackLog, Get-ClusterLog, Invoke-AzureStackOnDemandLog), newest first, from the
/// deployment's shared store: an action started through any instance, in any session (with -AsJob or followed), shows
/// here with its state, progress and result. -FunctionName and -ActionType are the original's parameters.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ActionStatus")]
[OutputType(typeof(ActionStatus))]
public sealed class GetActionStatusCommand : EndpointCmdlet
{
    /// <summary>The cmdlet whose actions to report (Start-AzureStack, Stop-AzureStack, Start-SecretRotation, Get-AzureStackLog, Get-ClusterLog, Invoke-AzureStackOnDemandLog); default every one.</summary>
    [Parameter(Position = 0)]
    [ValidateLength(1, StampRequestLimits.MaxNameLength)]
    public string? FunctionName { get; set; }

    /// <summary>The kind of action to report (<see cref="ActionTypes"/>): StampLifecycle, SecretRotation, LogCollection or OnDemandLog.</summary>
    [Parameter(Position = 1)]
    [ValidateSet(ActionTypes.StampLifecycle, ActionTypes.SecretRotation, ActionTypes.LogCollection, ActionTypes.OnDemandLog)]
    public string? ActionType { get; set; }

    /// <summary>One action, by the id a cmdlet given -AsJob returned.</summary>
    [Parameter]
    [ValidatePattern("^[0-9a-f]{32}$")]
    public string? ActionId { get; set; }

    /// <summary>Only the actions still running.</summary>
    [Parameter]
    public SwitchParameter Running { get; set; }

    protected override void EndProcessing()
    {
        bool found = false;
        foreach (ActionRecord record in Ask<ActionStatusReply>(new GetActionStatusRequest(FunctionName)).Actions)
        {
            if ((!Running || record.IsRunning)
                && (ActionType is null || string.Equals(ActionTypes.Of(record.FunctionName), ActionType, StringComparison.OrdinalIgnoreCase))
                && (ActionId is null || string.Equals(record.Id, ActionId, StringComparison.Ordinal)))
            {
                found = true;
                WriteObject(ActionStatus.From(record));
            }
        }

        if (ActionId is not null && !found)
        {
            ReportError(new ErrorRecord(new ItemNotFoundException($"No action {ActionId} is known to the deployment (the last 200 ended actions are kept)."),
                "ActionNotFound", ErrorCategory.ObjectNotFound, ActionId));
        }
    }
}
