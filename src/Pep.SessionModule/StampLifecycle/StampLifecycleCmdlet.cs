using System.Globalization;
using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Actions;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>
/// What Stop-AzureStack and Start-AzureStack share: the gateway names the roles in the order the action takes them
/// (stop in reverse), each is confirmed through ShouldProcess, and the gateway runs the manifest's commands for the
/// confirmed ones as a tracked action (Get-ActionStatus; at most one Start or Stop per stamp at a time), all within
/// -TimeoutInSecs, which the cmdlet follows with progress until it ends (or, with -AsJob, returns at once); a role that did not stop or start in time is an error record naming it,
/// and the next roles are still handled. The session host itself needs no rights on the roles.
/// </summary>
public abstract class StampLifecycleCmdlet : ActionCmdlet
{
    private const int ProgressId = 2;

    /// <summary>How long the whole stop or start may take, in seconds (position 0, as the original's).</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, RunStampLifecycleRequest.MaxTimeoutInSecs)]
    public int TimeoutInSecs { get; set; } = 2400;

    protected abstract RoleAction Action { get; }

    protected override void EndProcessing()
    {
        string verb = Action == RoleAction.Stop ? "Stop" : "Start";
        string activity = $"{verb}-AzureStack";
        StampLifecyclePlanReply plan = Ask<StampLifecyclePlanReply>(new PlanStampLifecycleRequest(Action));
        string[] confirmed = [.. plan.Roles.Where(role => ShouldProcess($"role {role} of stamp {plan.Stamp}", verb))];
        if (confirmed.Length == 0)
        {
            return;
        }

        if (RunOrStartAction<StampLifecycleReply>(new RunStampLifecycleRequest(Action, confirmed, TimeoutInSecs), activity, ProgressId) is not { } done)
        {
            return;
        }

        var failed = new List<string>();
        foreach (StampRoleOutcome role in done.Roles)
        {
            WriteObject(StampRoleState.From(role));
            if (!role.Succeeded)
            {
                failed.Add(role.Role);
                ReportError(new ErrorRecord(new TimeoutException($"Role {role.Role}: {role.Detail}."),
                    Action == RoleAction.Stop ? "RoleDidNotStop" : "RoleDidNotStart", ErrorCategory.OperationTimeout, role.Role));
            }
        }

        if (failed.Count > 0)
        {
            WriteHostLine($"{activity}: {string.Join(", ", failed)} did not {verb.ToLowerInvariant()} within {TimeoutInSecs.ToString(CultureInfo.InvariantCulture)} s.");
        }
    }
}
