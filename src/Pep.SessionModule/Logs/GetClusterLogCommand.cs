using System.Globalization;
using System.Management.Automation;
using System.Text;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Logs;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Get-ClusterLog: the nodes' own logs (the manifest's node log sources) of the last -TimeSpan minutes,
/// one zip archive per node plus ClusterLog_Output.log, in a new folder under -Destination (an allowed
/// output root, default the first). Parameters, positions and aliases are the original's (Windows' Get-ClusterLog):
/// -Node is position 0, -Span, -lt and -scs are aliases of -TimeSpan, -UseLocalTime and -SkipClusterState.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClusterLog")]
[OutputType(typeof(AzureStackLogArchive))]
public sealed class GetClusterLogCommand : StampCmdlet
{
    private const int ProgressId = 4;
    public const string OutputLogName = "ClusterLog_Output.log";

    /// <summary>The nodes to collect (default: every node of the stamp).</summary>
    [Parameter(Position = 0)]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 64)]
    public string[]? Node { get; set; }

    [Parameter]
    [ValidateLength(1, 4096)]
    public string? Destination { get; set; }

    /// <summary>How many minutes back to collect (default: 60).</summary>
    [Parameter]
    [Alias("Span")]
    [ValidateRange(1, 525600)]
    public int TimeSpan { get; set; } = 60;

    /// <summary>Write the times in ClusterLog_Output.log in the endpoint's local time instead of UTC.</summary>
    [Parameter]
    [Alias("lt")]
    public SwitchParameter UseLocalTime { get; set; }

    /// <summary>Leave the cluster state (the nodes and roles the stamp declares) out of ClusterLog_Output.log.</summary>
    [Parameter]
    [Alias("scs")]
    public SwitchParameter SkipClusterState { get; set; }

    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        DeploymentConfig config = LoadDeployment();
        var nodes = new List<StampNode>();
        foreach (string name in Node ?? [.. manifest.Nodes.Select(n => n.Name)])
        {
            StampNode? node = manifest.Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
            if (node is null)
            {
                Fail("UnknownNode", ErrorCategory.InvalidArgument, name, $"This stamp has no node '{name}'. Nodes: {string.Join(", ", manifest.Nodes.Select(n => n.Name))}.");
            }

            nodes.Add(node!);
        }

        string folder = CreateOutputFolder(config, Destination, "ClusterLog");
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        var window = new LogWindow(now.AddMinutes(-TimeSpan), now, OpenEnded: true);
        var index = new StringBuilder();
        index.AppendLine(CultureInfo.InvariantCulture, $"Cluster logs from {Format(window.FromUtc)} to {Format(window.ToUtc)}");
        if (!SkipClusterState)
        {
            AppendClusterState(index, manifest);
        }

        var progress = new QueuedProgress<LogProgress>();
        const string activity = "Get-ClusterLog";
        try
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                StampNode node = nodes[i];
                Progress(new ProgressRecord(ProgressId, activity, $"Node {node.Name}") { PercentComplete = i * 100 / nodes.Count });
                IReadOnlyList<LogFile> files = LogFileMatcher.Find(node.Logs.Select(l => l with { Node = node.Name }), null, window, node.Name);
                LogArchiveResult result = WaitOnPipeline(LogArchiver.ArchiveAsync(node.Name, files, Path.Combine(folder, node.Name + ".zip"), progress, Cancellation));
                _ = progress.Drain().Count();
                foreach (LogFile file in files)
                {
                    index.AppendLine(CultureInfo.InvariantCulture, $"{node.Name}: {file.Path} (last written {Format(new DateTimeOffset(File.GetLastWriteTimeUtc(file.Path)))})");
                }

                WriteObject(new AzureStackLogArchive(node.Name, result.Archive, result.Files, result.Bytes, result.Complete, [.. result.Missing]));
            }
        }
        finally
        {
            CompleteProgress(ProgressId, activity);
        }

        File.WriteAllText(Path.Combine(folder, OutputLogName), index.ToString());
    }

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

    private string Format(DateTimeOffset value)
        => (UseLocalTime ? value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
                         : value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
