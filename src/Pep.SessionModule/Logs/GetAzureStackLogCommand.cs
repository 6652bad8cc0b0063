using System.Globalization;
using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Logs;
using Pep.SessionModule.Broker;
using Pep.SessionModule.Actions;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Get-AzureStackLog: the gateway collects the roles' logs of a time window (default: the last four hours) into one
/// zip archive per role plus Get-AzureStackLog_Output.log, in a new folder under -OutputPath, which must
/// lie under one of the deployment's allowed output roots (default: the first of them), or onto a share.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzureStackLog", DefaultParameterSetName = LocalSet)]
[OutputType(typeof(AzureStackLogArchive), typeof(ActionStatus))]
public sealed class GetAzureStackLogCommand : ActionCmdlet
{
    private const int ProgressId = 3;
    private const string LocalSet = "Local";
    private const string ShareSet = "Share";

    [Parameter]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 64)]
    public string[]? FilterByRole { get; set; }

    [Parameter]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 64)]
    public string[]? FilterByNode { get; set; }

    [Parameter]
    public DateTime? FromDate { get; set; }

    [Parameter]
    public DateTime? ToDate { get; set; }

    /// <summary>A folder on the endpoint host, under an allowed output root.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateLength(1, 4096)]
    public string? OutputPath { get; set; }

    /// <summary>A file share, <c>\\server\share\folder</c>, that receives the collection folder.</summary>
    [Parameter(ParameterSetName = ShareSet, Mandatory = true)]
    [ValidateLength(1, 1024)]
    public string? OutputSharePath { get; set; }

    [Parameter(ParameterSetName = ShareSet, Mandatory = true)]
    [Credential]
    public PSCredential? OutputShareCredential { get; set; }

    /// <summary>How long the collection may take, in minutes (default 240, as the original's published reference).</summary>
    [Parameter]
    [ValidateRange(1, 1440)]
    public int TimeOutInMinutes { get; set; } = 240;

    protected override void EndProcessing()
    {
        const string activity = "Get-AzureStackLog";
        byte[]? password = OutputShareCredential is null ? null : SecretBytes.Utf8(OutputShareCredential.Password);
        var request = new CollectStampLogsRequest(FilterByRole, FilterByNode, AsUtc(FromDate), AsUtc(ToDate), OutputPath, OutputSharePath,
            OutputShareCredential?.UserName, password, TimeOutInMinutes);
        if (RunOrStartAction<StampLogsReply>(request, activity, ProgressId) is not { } collected)
        {
            return;
        }

        foreach (StampLogArchive archive in collected.Archives)
        {
            WriteObject(new AzureStackLogArchive(archive.Role, archive.Archive, archive.Files, archive.Bytes, archive.Complete, archive.Missing));
            if (!archive.Complete)
            {
                Warn($"Role {archive.Role}: {archive.Missing.Length.ToString(CultureInfo.InvariantCulture)} files not collected; see {LogCollector.OutputLogName}.");
            }
        }

        WriteHostLine($"Logs from {collected.FromUtc.ToString("u", CultureInfo.InvariantCulture)} to {collected.ToUtc.ToString("u", CultureInfo.InvariantCulture)} are in {collected.Location}.");
    }

    /// <summary>A date without a kind is this endpoint's local time, as in the original; the gateway takes UTC only.</summary>
    private static DateTime? AsUtc(DateTime? value)
        => value is { } date ? (date.Kind == DateTimeKind.Utc ? date : date.ToUniversalTime()) : null;
}
