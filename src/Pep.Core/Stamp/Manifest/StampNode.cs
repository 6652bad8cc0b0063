namespace Pep.Core.Stamp.Manifest;

/// <summary>A node (host) of the stamp, with the node's own logs that Get-ClusterLog collects.</summary>
public sealed record StampNode
{
    public required string Name { get; init; }

    public string? Address { get; init; }

    public IReadOnlyList<LogSource> Logs { get; init; } = [];

    /// <summary>How Set-BmcCredential changes this node's BMC credential; null when the node declares none.</summary>
    public BmcSettings? Bmc { get; init; }
}
