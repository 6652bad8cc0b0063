using System.Globalization;
using System.Text;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Shares;
using Pep.Core.Stamp.Logs;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>
/// Get-AzureStackLog and Get-ClusterLog, done by the gateway: only the log sources the manifest declares for the roles
/// and nodes the session names (which must be the manifest's) are read, for a window checked here, into a new folder
/// under an allowed output root (the path the session gives is canonicalised and checked) or onto a share through
/// smbclient (the password only in its 0600 authentication file). The session host reads no log itself.
/// </summary>
internal sealed class StampLogRequests(StateLayout layout, TimeProvider time)
{
    private const string ClusterLogOutputName = "ClusterLog_Output.log";

    public BrokerReply CollectStampLogs(CollectStampLogsRequest request, BrokerCall call)
    {
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        if (StampFailures.TryLoadConfig(layout, out DeploymentConfig config) is { } unconfigured)
        {
            return unconfigured;
        }

        var roles = new List<StampRole>();
        foreach (string name in request.Roles ?? [.. manifest.Roles.Select(r => r.Name)])
        {
            if (manifest.FindRole(name) is not { } role)
            {
                return StampFailures.UnknownRole(name, manifest);
            }

            if (!roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        if (UnknownNode(request.Nodes, manifest) is { } unknownNode)
        {
            return unknownNode;
        }

        LogWindow window;
        try
        {
            window = LogWindow.Resolve(request.FromUtc, request.ToUtc, time.GetUtcNow());
        }
        catch (ArgumentException e)
        {
            return new BrokerFailure("FromDateAfterToDate", BrokerErrorCategory.InvalidArgument, e.Message,
                request.FromUtc?.ToString("u", CultureInfo.InvariantCulture));
        }

        SharePath? share = null;
        if (request.SharePath is not null)
        {
            share = SharePath.TryParse(request.SharePath, out string? shareError);
            if (share is null)
            {
                return new BrokerFailure("InvalidSharePath", BrokerErrorCategory.InvalidArgument, shareError!, request.SharePath);
            }
        }

        string folder;
        if (share is null)
        {
            if (OutputFolders.TryCreate(config, request.OutputPath, "AzureStackLogs", time.GetUtcNow(), out folder) is { } refused)
            {
                return refused;
            }
        }
        else
        {
            folder = OutputFolders.CreateStaging(layout, call.Session.Instance, "AzureStackLogs", time.GetUtcNow());
        }

        try
        {
            var timeout = TimeSpan.FromMinutes(request.TimeoutMinutes);
            var collection = new LogCollectionRequest(roles, request.Nodes, window, folder, timeout);
            var progress = new ThrottledLogProgress(call, time);
            IReadOnlyList<LogArchiveResult> results = LogCollector.RunAsync(collection, manifest.Nodes.Count > 0 ? manifest.Nodes[0].Name : "host", progress, time, call.Cancellation)
                .GetAwaiter().GetResult();
            string location = folder;
            if (share is not null)
            {
                if (Upload(request, share, folder, results, timeout, call) is { } failed)
                {
                    return failed;
                }

                location = share + "\\" + Path.GetFileName(folder);
            }

            StampLogArchive[] archives = [.. results.Select(r => new StampLogArchive(
                r.Role, share is null ? r.Archive : location + "\\" + Path.GetFileName(r.Archive), r.Files, r.Bytes, r.Complete, [.. r.Missing]))];
            return new StampLogsReply(archives, location, window.FromUtc.UtcDateTime, window.ToUtc.UtcDateTime);
        }
        finally
        {
            if (share is not null)
            {
                // The staging copy goes whether the copy to the share worked or not.
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    public BrokerReply CollectClusterLog(CollectClusterLogRequest request, BrokerCall call)
    {
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        if (StampFailures.TryLoadConfig(layout, out DeploymentConfig config) is { } unconfigured)
        {
            return unconfigured;
        }

        if (UnknownNode(request.Nodes, manifest) is { } unknownNode)
        {
            return unknownNode;
        }

        var asked = request.Nodes is null ? null : new HashSet<string>(request.Nodes, StringComparer.OrdinalIgnoreCase);
        StampNode[] nodes = [.. manifest.Nodes.Where(n => asked is null || asked.Contains(n.Name))];
        if (OutputFolders.TryCreate(config, request.Destination, "ClusterLog", time.GetUtcNow(), out string folder) is { } refused)
        {
            return refused;
        }

        DateTimeOffset now = time.GetUtcNow();
        var window = new LogWindow(now.AddMinutes(-request.Minutes), now, OpenEnded: true);
        string Format(DateTimeOffset value) => request.UseLocalTime
            ? value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
            : value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var index = new StringBuilder();
        index.AppendLine(CultureInfo.InvariantCulture, $"Cluster logs from {Format(window.FromUtc)} to {Format(window.ToUtc)}");
        if (!request.SkipClusterState)
        {
            AppendClusterState(index, manifest);
        }

        var archives = new List<StampLogArchive>();
        var progress = new ThrottledLogProgress(call, time);
        for (int i = 0; i < nodes.Length; i++)
        {
            StampNode node = nodes[i];
            call.Report(new BrokerProgress($"Node {node.Name}", i * 100 / nodes.Length, -1));
            IReadOnlyList<LogFile> files = LogFileMatcher.Find(node.Logs.Select(l => l with { Node = node.Name }), null, window, node.Name);
            LogArchiveResult result = LogArchiver.ArchiveAsync(node.Name, files, Path.Combine(folder, node.Name + ".zip"), progress, call.Cancellation).GetAwaiter().GetResult();
            foreach (LogFile file in files)
            {
                index.AppendLine(CultureInfo.InvariantCulture, $"{node.Name}: {file.Path} (last written {Format(new DateTimeOffset(File.GetLastWriteTimeUtc(file.Path)))})");
            }

            archives.Add(new StampLogArchive(node.Name, result.Archive, result.Files, result.Bytes, result.Complete, [.. result.Missing]));
        }

        File.WriteAllText(Path.Combine(folder, ClusterLogOutputName), index.ToString());
        return new StampLogsReply([.. archives], folder, window.FromUtc.UtcDateTime, window.ToUtc.UtcDateTime);
    }

    private static BrokerFailure? UnknownNode(string[]? nodes, StampManifest manifest)
        => nodes?.FirstOrDefault(name => !manifest.Nodes.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))) is { } unknown
            ? StampFailures.UnknownNode(unknown, manifest)
            : null;

    /// <summary>The cluster state section: the stamp's nodes and its roles in start order, as the manifest declares them.</summary>
    private static void AppendClusterState(StringBuilder index, StampManifest manifest)
    {
        index.AppendLine(CultureInfo.InvariantCulture, $"Cluster state of stamp {manifest.Name}:");
        foreach (StampNode node in manifest.Nodes)
        {
            index.AppendLine(CultureInfo.InvariantCulture, $"  node {node.Name}{(node.Address is null ? "" : " at " + node.Address)}");
        }

        foreach (StampRole role in manifest.StartOrder())
        {
            index.AppendLine(CultureInfo.InvariantCulture, $"  role {role.Name} (start order {role.Order})");
        }
    }

    /// <summary>Copies the collection folder to the share; the failure that says why not, or null.</summary>
    private static BrokerFailure? Upload(CollectStampLogsRequest request, SharePath share, string folder, IReadOnlyList<LogArchiveResult> results, TimeSpan timeout, BrokerCall call)
    {
        string[] files = [.. results.Select(r => r.Archive), Path.Combine(folder, LogCollector.OutputLogName)];
        call.Report(new BrokerProgress($"Copying to {share}", -1, -1));
        char[] password = Encoding.UTF8.GetChars(request.SharePassword!);
        try
        {
            SmbClient.UploadAsync(share, request.ShareUser!, password, Path.GetFileName(folder), files, timeout, call.Cancellation).GetAwaiter().GetResult();
            return null;
        }
        catch (ShareException e)
        {
            return new BrokerFailure(e.ErrorId, e.ErrorId == "ShareAccessDenied" ? BrokerErrorCategory.PermissionDenied : BrokerErrorCategory.ConnectionError, e.Message, request.SharePath);
        }
        finally
        {
            Array.Clear(password);
        }
    }
}
