namespace Pep.Core.Stamp.Manifest;

/// <summary>The stamp's DNS: the forwarders file (one address per line) and the role whose Reload applies it.</summary>
public sealed record DnsSettings
{
    public required string ForwardersFile { get; init; }

    public required string Role { get; init; }
}
