using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Actions;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Actions;

/// <summary>
/// Get-ActionStatus: the long operations the endpoint's gateways hold as tracked actions (Start-AzureStack,
/// Stop-AzureStack, Start-SecretRotation, Get-AzureStackLog), newest first, from the deployment's shared store: an
/// action started through any instance, in any session, shows here with its state, progress and result.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ActionStatus")]
[OutputType(typeof(ActionStatus))]
public sealed class GetActionStatusCommand : EndpointCmdlet
{
    /// <summary>The cmdlet whose actions to report (Start-AzureStack, Stop-AzureStack, Start-SecretRotation, Get-AzureStackLog); default every one.</summary>
    [Parameter(Position = 0)]
    [ValidateLength(1, StampRequestLimits.MaxNameLength)]
    public string? FunctionName { get; set; }

    /// <summary>Only the actions still running.</summary>
    [Parameter]
    public SwitchParameter Running { get; set; }

    protected override void EndProcessing()
    {
        foreach (ActionRecord record in Ask<ActionStatusReply>(new GetActionStatusRequest(FunctionName)).Actions)
        {
            if (!Running || record.IsRunning)
            {
                WriteObject(ActionStatus.From(record));
            }
        }
    }
}
