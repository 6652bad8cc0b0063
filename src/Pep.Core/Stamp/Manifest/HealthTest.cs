namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// One health test of a role, in a category (the unit Test-AzureStack reports, includes and ignores). The
/// fields used depend on <see cref="Kind"/>; the validator checks that the ones a kind needs are there.
/// </summary>
public sealed record HealthTest
{
    public required string Category { get; init; }

    public required string Name { get; init; }

    public required HealthTestKind Kind { get; init; }

    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>A failure of a test marked as a warning shows WARN instead of FAIL.</summary>
    public bool WarningOnly { get; init; }

    public string? Host { get; init; }

    public int Port { get; init; }

    public string? Url { get; init; }

    public int ExpectStatus { get; init; } = 200;

    public string? ExpectBody { get; init; }

    /// <summary>Accept a self-signed certificate for HTTPS tests of internal services (the TLS check is not what is tested).</summary>
    public bool SkipCertificateCheck { get; init; }

    public IReadOnlyList<string>? Argv { get; init; }

    public int ExpectExitCode { get; init; }

    public string? Path { get; init; }

    public int MaxAgeSeconds { get; init; } = 300;

    public long MinFreeMegabytes { get; init; } = 1024;
}
