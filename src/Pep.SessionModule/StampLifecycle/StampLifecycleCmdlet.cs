using System.Globalization;
using System.Management.Automation;
using Pep.Core.Stamp.Lifecycle;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

// The folder (and namespace) is named after the feature; the engine that runs the roles' commands is Core's.
using RoleLifecycle = Pep.Core.Stamp.Lifecycle.StampLifecycle;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>
/// What Stop-AzureStack and Start-AzureStack share: the roles one by one in the manifest's order (stop in
/// reverse), each confirmed through ShouldProcess, all within -TimeoutInSecs; a role that did not stop or
/// start in time is an error record naming it, and the next roles are still handled.
/// </summary>
public abstract class StampLifecycleCmdlet : StampCmdlet
{
    private const int ProgressId = 2;

    /// <summary>How long the whole stop or start may take, in seconds (position 0, as the original's).</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, 86400)]
    public int TimeoutInSecs { get; set; } = 2400;

    protected abstract RoleAction Action { get; }

    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        IReadOnlyList<StampRole> roles = RoleLifecycle.Order(manifest, Action);
        string verb = Action == RoleAction.Stop ? "Stop" : "Start";
        string activity = $"{verb}-AzureStack";
        var lifecycle = new RoleLifecycle(TimeProvider.System);
        DateTimeOffset deadline = TimeProvider.System.GetUtcNow().AddSeconds(TimeoutInSecs);
        var failed = new List<string>();
        try
        {
            for (int i = 0; i < roles.Count; i++)
            {
                StampRole role = roles[i];
                if (!ShouldProcess($"role {role.Name} of stamp {manifest.Name}", verb))
                {
                    continue;
                }

                Progress(new ProgressRecord(ProgressId, activity, string.Create(CultureInfo.InvariantCulture, $"{verb} {role.Name} ({i + 1} of {roles.Count})"))
                {
                    PercentComplete = i * 100 / roles.Count,
                });
                RoleLifecycleResult result = WaitOnPipeline(lifecycle.RunAsync(role, Action, deadline, Cancellation));
                WriteObject(StampRoleState.From(result));
                if (!result.Succeeded)
                {
                    failed.Add(role.Name);
                    ReportError(new ErrorRecord(new TimeoutException($"Role {role.Name}: {result.Detail}."),
                        Action == RoleAction.Stop ? "RoleDidNotStop" : "RoleDidNotStart", ErrorCategory.OperationTimeout, role.Name));
                }
            }
        }
        finally
        {
            CompleteProgress(ProgressId, activity);
        }

        if (failed.Count > 0)
        {
            WriteHostLine($"{activity}: {string.Join(", ", failed)} did not {verb.ToLowerInvariant()} within {TimeoutInSecs.ToString(CultureInfo.InvariantCulture)} s.");
        }
    }
}
