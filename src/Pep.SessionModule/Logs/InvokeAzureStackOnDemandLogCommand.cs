using System.Globalization;
using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Actions;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Invoke-AzureStackOnDemandLog: the gateway runs the on-demand log command the stamp manifest declares for each role
/// (default: every role that declares one), as a tracked action, so the roles write extra logs into their log sources;
/// with -OutputPath it then collects what they wrote, as Get-AzureStackLog -OutputPath does. A role whose command fails
/// or runs out of time is an error record naming it; the next roles are still run.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "AzureStackOnDemandLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OnDemandLogResult), typeof(AzureStackLogArchive), typeof(ActionStatus))]
public sealed class InvokeAzureStackOnDemandLogCommand : ActionCmdlet
{
    private const int ProgressId = 5;

    /// <summary>The roles whose on-demand logs to generate (default: every role that declares a command for it).</summary>
    [Parameter(Position = 0)]
    [ValidateCount(1, StampRequestLimits.MaxNames)]
    [ValidateLength(1, StampRequestLimits.MaxNameLength)]
    public string[]? FilterByRole { get; set; }

    /// <summary>
    /// The original's switch to generate (rather than collect) on-demand logs. Generating is this cmdlet's work here with or
    /// without it; collecting is -OutputPath's (or Get-AzureStackLog's). Accepted so that the original's scripts run.
    /// </summary>
    [Parameter]
    public SwitchParameter Generate { get; set; }

    /// <summary>A folder under an allowed output root: what the roles wrote is collected into a new folder there, one zip per role.</summary>
    [Parameter]
    [ValidateLength(1, 4096)]
    public string? OutputPath { get; set; }

    /// <summary>How long all the roles' commands together may take, in minutes (default 30, as the original's).</summary>
    [Parameter]
    [ValidateRange(1, GenerateOnDemandLogsRequest.MaxTimeoutMinutes)]
    public int TimeOutInMinutes { get; set; } = 30;

    /// <summary>How long the command of the role named SLB (the original's software load balancer) may take, in minutes (default 20, as the original's).</summary>
    [Parameter]
    [ValidateRange(1, GenerateOnDemandLogsRequest.MaxTimeoutMinutes)]
    public int SlbTimeOutInMinutes { get; set; } = 20;

    protected override void EndProcessing()
    {
        const string activity = "Invoke-AzureStackOnDemandLog";
        string target = FilterByRole is null ? "every role that declares an on-demand log command" : "roles " + string.Join(", ", FilterByRole);
        if (!ShouldProcess(target, OutputPath is null ? "Generate on-demand logs" : $"Generate on-demand logs and collect them under {OutputPath}"))
        {
            return;
        }

        var request = new GenerateOnDemandLogsRequest(FilterByRole, TimeOutInMinutes, SlbTimeOutInMinutes, OutputPath);
        if (RunOrStartAction<OnDemandLogsReply>(request, activity, ProgressId) is not { } done)
        {
            return;
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
            $"{activity}: {done.Roles.Count(r => r.Succeeded)} of {done.Roles.Length} roles wrote their on-demand logs; {(done.Collected is { } c ? $"collected in {c.Location}." : "Get-AzureStackLog collects them.")}"));
        foreach (StampLogArchive archive in done.Collected?.Archives ?? [])
        {
            WriteObject(new AzureStackLogArchive(archive.Role, archive.Archive, archive.Files, archive.Bytes, archive.Complete, archive.Missing));
        }
    }
}
