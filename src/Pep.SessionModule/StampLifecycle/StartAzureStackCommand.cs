using System.Management.Automation;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>Start-AzureStack: starts the stamp's roles in the manifest's order.</summary>
[Cmdlet(VerbsLifecycle.Start, "AzureStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StampRoleState), typeof(Actions.ActionStatus))]
public sealed class StartAzureStackCommand : StampLifecycleCmdlet
{
    protected override RoleAction Action => RoleAction.Start;
}
