using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// The stamp DNS's server behaviour: whether it resolves through root hints (Set-AzSDnsServerSettings -UseRootHint,
/// on by default as on the original) and the zones it forwards to the customer's own servers (Register-CustomDnsServer).
/// Kept as one JSON value in the deployment's shared settings (<see cref="SettingKey"/>, changed with a compare-and-swap
/// on the version read) and written to the file the manifest names (<see cref="DnsSettings.ServerSettingsFile"/>),
/// which the DNS role reads when its reload command runs.
/// </summary>
public sealed partial record DnsServerSettings(bool UseRootHint, IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> ConditionalForwarders)
{
    public const int MaxZones = 64;
    public const int MaxServersPerZone = 16;
    public const int MaxZoneNameLength = 253;

    /// <summary>Register-CustomDnsServer's -TimeoutInSecs bound (the original's default is 1000).</summary>
    public const int MaxTimeoutSeconds = 3600;

    /// <summary>Their key in the shared settings.</summary>
    public const string SettingKey = "dns/server";

    /// <summary>What a stamp has before anything is set: root hints on, no conditional forwarders.</summary>
    public static DnsServerSettings Default { get; } = new(true, new Dictionary<string, IReadOnlyList<IPAddress>>());

    /// <summary>The settings in the shared store with the setting's version (0: never set, <see cref="Default"/>).</summary>
    public static (DnsServerSettings Settings, long Version) ReadShared(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Get(SettingKey) is not { } stored)
        {
            return (Default, 0);
        }

        try
        {
            Stored value = JsonSerializer.Deserialize<Stored>(stored.Value, JsonFiles.HandWritten) ?? throw new JsonException("empty");
            var zones = value.ConditionalForwarders.ToDictionary(
                z => z.Key, z => (IReadOnlyList<IPAddress>)[.. z.Value.Select(IPAddress.Parse)], StringComparer.OrdinalIgnoreCase);
            return (new DnsServerSettings(value.UseRootHint, zones), stored.Version);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new StampManifestException($"The shared setting '{SettingKey}' is not valid DNS server settings: {e.Message}", e);
        }
    }

    /// <summary>Writes them only if the setting still has <paramref name="expectedVersion"/>; false when another instance came first.</summary>
    public bool TryWriteShared(ISettingsStore settings, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var value = new Stored(UseRootHint, ConditionalForwarders.ToDictionary(z => z.Key, z => z.Value.Select(a => a.ToString()).ToArray()));
        return settings.TrySet(SettingKey, JsonSerializer.Serialize(value, JsonFiles.HandWritten), expectedVersion);
    }

    /// <summary>These settings with <paramref name="zone"/> forwarded to <paramref name="servers"/> (replacing what that zone had).</summary>
    public DnsServerSettings WithZone(string zone, IReadOnlyList<IPAddress> servers)
    {
        var zones = new Dictionary<string, IReadOnlyList<IPAddress>>(ConditionalForwarders, StringComparer.OrdinalIgnoreCase)
        {
            [CanonicalZone(zone)] = servers,
        };
        return this with { ConditionalForwarders = zones };
    }

    /// <summary>The zone as it is kept: lower case, without the root's trailing dot.</summary>
    public static string CanonicalZone(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.Trim().TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>Null when <paramref name="zone"/> can be forwarded (a DNS name of two labels or more), else why not.</summary>
    public static string? CheckZone(string zone)
    {
        string canonical = CanonicalZone(zone);
        return canonical.Length is 0 or > MaxZoneNameLength || !ZonePattern().IsMatch(canonical)
            ? $"'{zone}' is not a DNS domain name (labels of letters, digits and '-', at least two, e.g. contoso.com)."
            : null;
    }

    /// <summary>Null when the addresses can be <paramref name="zone"/>'s servers (the forwarders' rules, and room for a new zone), else why not.</summary>
    public string? CheckServers(string zone, IReadOnlyList<IPAddress> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return servers.Count is 0 or > MaxServersPerZone ? $"Give 1 to {MaxServersPerZone} server addresses."
            : !ConditionalForwarders.ContainsKey(CanonicalZone(zone)) && ConditionalForwarders.Count >= MaxZones ? $"At most {MaxZones} zones can be forwarded."
            : DnsForwarders.Check(servers);
    }

    /// <summary>One line per zone, "zone address address...", ordered by zone.</summary>
    public string[] Describe()
        => [.. ConditionalForwarders.OrderBy(z => z.Key, StringComparer.Ordinal).Select(z => z.Key + " " + string.Join(' ', z.Value))];

    /// <summary>Writes the file the DNS role reads on reload.</summary>
    public void Write(string path)
        => AtomicFile.WriteAllLines(path,
            ["# DNS server settings, written by Set-AzSDnsServerSettings and Register-CustomDnsServer", $"use-root-hints {(UseRootHint ? "yes" : "no")}",
             .. Describe().Select(line => "forward-zone " + line)]);

    private sealed record Stored(bool UseRootHint, Dictionary<string, string[]> ConditionalForwarders);

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();
}
