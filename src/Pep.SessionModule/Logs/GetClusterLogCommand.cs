using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Actions;

namespace Pep.SessionModule.Logs;

/// <summary>
/// Get-ClusterLog: the gateway collects the nodes' own logs (the manifest's node log sources) of the last -TimeSpan minutes,
/// one zip archive per node plus ClusterLog_Output.log, in a new folder under -Destination (an allowed
/// output root, default the first). Parameters, positions and aliases are the original's (Windows' Get-ClusterLog):
/// -Node is position 0, -Span, -lt and -scs are aliases of -TimeSpan, -UseLocalTime and -SkipClusterState.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClusterLog")]
[OutputType(typeof(AzureStackLogArchive), typeof(ActionStatus))]
public sealed class GetClusterLogCommand : ActionCmdlet
{
    private const int ProgressId = 4;

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
        const string activity = "Get-ClusterLog";
        var request = new CollectClusterLogRequest(Node, Destination, TimeSpan, UseLocalTime, SkipClusterState);
        if (RunOrStartAction<StampLogsReply>(request, activity, ProgressId) is not { } collected)
        {
            return;
        }

        foreach (StampLogArchive archive in collected.Archives)
        {
            WriteObject(new AzureStackLogArchive(archive.Role, archive.Archive, archive.Files, archive.Bytes, archive.Complete, archive.Missing));
        }
    }
}
