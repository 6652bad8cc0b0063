namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Get-ClusterLog: the gateway collects the log sources the manifest declares for <see cref="Nodes"/> (default every
/// node) of the last <see cref="Minutes"/>, into a folder under an allowed output root (<see cref="Destination"/>,
/// canonicalised by the gateway) (answered with <see cref="StampLogsReply"/>).
/// </summary>
public sealed record CollectClusterLogRequest(string[]? Nodes, string? Destination, int Minutes, bool UseLocalTime, bool SkipClusterState) : BrokerRequest
{
    /// <summary>A year, the cmdlet's own bound.</summary>
    public const int MaxMinutes = 525600;

    public override string Describe()
        => "Get-ClusterLog"
           + (Nodes is null ? "" : $" -Node {string.Join(", ", Nodes.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (Destination is null ? "" : $" -Destination {Loggable(Destination)}")
           + $" -TimeSpan {Minutes}";

    public override string? Validate()
        => StampRequestLimits.CheckNames(Nodes, "node", allowEmpty: false)
           ?? StampRequestLimits.CheckPath(Destination, nameof(Destination))
           ?? (Minutes is < 1 or > MaxMinutes ? $"{nameof(Minutes)} must be 1 to {MaxMinutes}." : null);
}
