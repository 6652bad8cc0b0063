namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// An infrastructure role: its logs, its health tests, how to stop and start it and where it stands in
/// the stop/start order (lower starts first and stops last).
/// </summary>
public sealed record StampRole
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public int Order { get; init; }

    public IReadOnlyList<LogSource> Logs { get; init; } = [];

    public IReadOnlyList<HealthTest> HealthTests { get; init; } = [];

    public RoleCommand? Stop { get; init; }

    public RoleCommand? Start { get; init; }

    /// <summary>Exit code 0 means the role runs; used to confirm that a stop or start took effect.</summary>
    public RoleCommand? Status { get; init; }

    /// <summary>Makes the role re-read its configuration (the DNS role reloads its forwarders with it).</summary>
    public RoleCommand? Reload { get; init; }

    /// <summary>Makes the role write extra logs now, into its log sources (Invoke-AzureStackOnDemandLog).</summary>
    public RoleCommand? OnDemandLog { get; init; }
}
