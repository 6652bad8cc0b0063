using System.Globalization;
using System.Management.Automation;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Shares;
using Pep.Core.Stamp.Logs;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Get-AzureStackLog: collects the roles' logs of a time window (default: the last four hours) into one
/// zip archive per role plus Get-AzureStackLog_Output.log, in a new folder under -OutputPath, which must
/// lie under one of the deployment's allowed output roots (default: the first of them).
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzureStackLog", DefaultParameterSetName = LocalSet)]
[OutputType(typeof(AzureStackLogArchive))]
public sealed class GetAzureStackLogCommand : StampCmdlet
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

    [Parameter]
    [ValidateRange(1, 1440)]
    public int TimeOutInMinutes { get; set; } = 150;

    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        DeploymentConfig config = LoadDeployment();
        IReadOnlyList<StampRole> roles = SelectRoles(manifest);
        CheckNodes(manifest);
        LogWindow window;
        try
        {
            window = LogWindow.Resolve(FromDate, ToDate, TimeProvider.System.GetUtcNow());
        }
        catch (ArgumentException e)
        {
            Fail("FromDateAfterToDate", ErrorCategory.InvalidArgument, FromDate, e.Message, e);
            return;
        }

        SharePath? share = null;
        if (OutputSharePath is not null)
        {
            share = SharePath.TryParse(OutputSharePath, out string? shareError);
            if (share is null)
            {
                Fail("InvalidSharePath", ErrorCategory.InvalidArgument, OutputSharePath, shareError!);
            }
        }

        string folder = share is null ? CreateOutputFolder(config, OutputPath, "AzureStackLogs") : CreateStagingFolder();
        var progress = new QueuedProgress<LogProgress>();
        const string activity = "Get-AzureStackLog";
        var request = new LogCollectionRequest(roles, FilterByNode, window, folder, TimeSpan.FromMinutes(TimeOutInMinutes));
        IReadOnlyList<LogArchiveResult> results;
        try
        {
            results = WaitOnPipeline(LogCollector.RunAsync(request, manifest.Nodes.Count > 0 ? manifest.Nodes[0].Name : "host", progress, TimeProvider.System, Cancellation), () =>
            {
                LogProgress? last = progress.Drain().LastOrDefault();
                if (last is not null)
                {
                    Progress(new ProgressRecord(ProgressId, activity, string.Create(CultureInfo.InvariantCulture, $"{last.Role}: {last.Done} of {last.Total} files"))
                    {
                        CurrentOperation = last.File,
                    });
                }
            });
        }
        finally
        {
            CompleteProgress(ProgressId, activity);
        }

        string location = folder;
        if (share is not null)
        {
            location = Upload(share, folder, results);
        }

        foreach (LogArchiveResult result in results)
        {
            string archive = share is null ? result.Archive : location + "\\" + Path.GetFileName(result.Archive);
            WriteObject(new AzureStackLogArchive(result.Role, archive, result.Files, result.Bytes, result.Complete, [.. result.Missing]));
            if (!result.Complete)
            {
                Warn($"Role {result.Role}: {result.Missing.Count.ToString(CultureInfo.InvariantCulture)} files not collected; see {LogCollector.OutputLogName}.");
            }
        }

        WriteHostLine($"Logs from {window.FromUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} to {window.ToUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} are in {location}.");
    }

    /// <summary>Copies the collection folder to the share and removes the local staging copy (also when the copy failed).</summary>
    private string Upload(SharePath share, string folder, IReadOnlyList<LogArchiveResult> results)
    {
        string collection = Path.GetFileName(folder);
        string[] files = [.. results.Select(r => r.Archive), Path.Combine(folder, LogCollector.OutputLogName)];
        try
        {
            Progress(new ProgressRecord(ProgressId, "Get-AzureStackLog", $"Copying to {share}"));
            string password = OutputShareCredential!.GetNetworkCredential().Password;
            WaitOnPipeline(SmbClient.UploadAsync(share, OutputShareCredential.UserName, password.AsMemory(), collection, files,
                TimeSpan.FromMinutes(TimeOutInMinutes), Cancellation));
        }
        catch (ShareException e)
        {
            Fail(e.ErrorId, e.ErrorId == "ShareAccessDenied" ? ErrorCategory.PermissionDenied : ErrorCategory.ConnectionError, OutputSharePath, e.Message, e);
        }
        finally
        {
            CompleteProgress(ProgressId, "Get-AzureStackLog");
            Directory.Delete(folder, recursive: true);
        }

        return share + "\\" + collection;
    }

    /// <summary>
    /// A private folder in this session's own runtime folder (the only part of the runtime directory a session account
    /// may write), where the archives wait for the copy to the share.
    /// </summary>
    private static string CreateStagingFolder()
    {
        string stamp = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string folder = Path.Combine(Session.Layout.SessionRuntimeDirectory(Session.Identity.Instance, Session.Identity.SessionId), $"AzureStackLogs-{stamp}-{Guid.NewGuid().ToString("N")[..6]}");
        PrivateDirectory.Create(folder);
        return folder;
    }

    private IReadOnlyList<StampRole> SelectRoles(StampManifest manifest)
    {
        if (FilterByRole is null)
        {
            return manifest.Roles;
        }

        var roles = new List<StampRole>();
        foreach (string name in FilterByRole)
        {
            StampRole? role = manifest.FindRole(name);
            if (role is null)
            {
                Fail("UnknownRole", ErrorCategory.InvalidArgument, name,
                    $"This stamp has no role '{name}'. Roles: {string.Join(", ", manifest.Roles.Select(r => r.Name))}.");
            }

            if (!roles.Contains(role!))
            {
                roles.Add(role!);
            }
        }

        return roles;
    }

    private void CheckNodes(StampManifest manifest)
    {
        foreach (string node in FilterByNode ?? [])
        {
            if (!manifest.Nodes.Any(n => string.Equals(n.Name, node, StringComparison.OrdinalIgnoreCase)))
            {
                Fail("UnknownNode", ErrorCategory.InvalidArgument, node,
                    $"This stamp has no node '{node}'. Nodes: {string.Join(", ", manifest.Nodes.Select(n => n.Name))}.");
            }
        }
    }
}
