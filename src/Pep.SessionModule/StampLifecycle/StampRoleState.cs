using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>The outcome for one role of Stop-AzureStack or Start-AzureStack.</summary>
public sealed record StampRoleState(string Role, string Action, bool Succeeded, string Detail)
{
    public static StampRoleState From(StampRoleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Role, outcome.Action.ToString(), outcome.Succeeded, outcome.Detail);
    }
}
