namespace Pep.Core.Stamp;

/// <summary>A node (host) of the stamp, with the node's own logs that Get-ClusterLog collects.</summary>
public sealed record StampNode
{
    public required string Name { get; init; }

    public string? Address { get; init; }

    public IReadOnlyList<LogSource> Logs { get; init; } = [];
}
