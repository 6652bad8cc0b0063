using System.Management.Automation;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>Stop-AzureStack: stops the stamp's roles in reverse start order.</summary>
[Cmdlet(VerbsLifecycle.Stop, "AzureStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StampRoleState), typeof(Actions.ActionStatus))]
public sealed class StopAzureStackCommand : StampLifecycleCmdlet
{
    protected override RoleAction Action => RoleAction.Stop;
}
