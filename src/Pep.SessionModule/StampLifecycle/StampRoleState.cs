using Pep.Core.Stamp.Lifecycle;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>The outcome for one role of Stop-AzureStack or Start-AzureStack.</summary>
public sealed record StampRoleState(string Role, string Action, bool Succeeded, string Detail)
{
    public static StampRoleState From(RoleLifecycleResult result) => new(result.Role, result.Action.ToString(), result.Succeeded, result.Detail);
}
