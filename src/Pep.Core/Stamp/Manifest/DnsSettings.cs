namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// The stamp's DNS: the forwarders file (one address per line), the role whose Reload applies it, and optionally the
/// server settings file (root hints, conditional forwarders) the same role reads; without it the stamp's DNS takes no
/// server settings (Set-AzSDnsServerSettings and Register-CustomDnsServer say so).
/// </summary>
public sealed record DnsSettings
{
    public required string ForwardersFile { get; init; }

    public required string Role { get; init; }

    public string? ServerSettingsFile { get; init; }
}
