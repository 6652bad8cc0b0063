using System.Globalization;
using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Invoke-AzureStackOnDemandLog: the gateway runs the on-demand log command the stamp manifest declares for each role
/// (default: every role that declares one), so the roles write extra logs into their log sources for a later
/// Get-AzureStackLog. A role whose command fails or runs out of time is an error record naming it; the next roles
/// are still run.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "AzureStackOnDemandLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OnDemandLogResult))]
public sealed class InvokeAzureStackOnDemandLogCommand : StampCmdlet
{
    private const int ProgressId = 5;

    /// <summary>The roles whose on-demand logs to generate (default: every role that declares a command for it).</summary>
    [Parameter(Position = 0)]
    [ValidateCount(1, StampRequestLimits.MaxNames)]
    [ValidateLength(1, StampRequestLimits.MaxNameLength)]
    public string[]? FilterByRole { get; set; }

    /// <summary>How long all the roles' commands together may take, in minutes (default 30, as the original's).</summary>
    [Parameter]
    [ValidateRange(1, GenerateOnDemandLogsRequest.MaxTimeoutMinutes)]
    public int TimeOutInMinutes { get; set; } = 30;

    protected override void EndProcessing()
    {
        const string activity = "Invoke-AzureStackOnDemandLog";
        string target = FilterByRole is null ? "every role that declares an on-demand log command" : "roles " + string.Join(", ", FilterByRole);
        if (!ShouldProcess(target, "Generate on-demand logs"))
        {
            return;
        }

        OnDemandLogsReply done;
        try
        {
            done = Ask<OnDemandLogsReply>(new GenerateOnDemandLogsRequest(FilterByRole, TimeOutInMinutes), activity, ProgressId);
        }
        finally
        {
            CompleteProgress(ProgressId, activity);
        }

        foreach (OnDemandLogOutcome role in done.Roles)
        {
            WriteObject(new OnDemandLogResult(role.Role, role.Succeeded, role.Detail));
            if (!role.Succeeded)
            {
                ReportError(new ErrorRecord(new InvalidOperationException($"Role {role.Role}: {role.Detail}."), "OnDemandLogFailed", ErrorCategory.InvalidResult, role.Role));
            }
        }

        WriteHostLine(string.Create(CultureInfo.InvariantCulture,
            $"{activity}: {done.Roles.Count(r => r.Succeeded)} of {done.Roles.Length} roles wrote their on-demand logs; Get-AzureStackLog collects them."));
    }
}
