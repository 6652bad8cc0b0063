using System.Net;
using System.Net.Sockets;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// The stamp DNS's forwarders: kept in the deployment's shared settings (<see cref="SettingKey"/>, one address per
/// line), so every instance reads the same at once, and written one address per line to the file the manifest
/// names, which the DNS role reads when its reload command runs. Forwarders set before they were kept in the shared
/// settings are read from the file until they are set again.
/// </summary>
public static class DnsForwarders
{
    public const int MaxForwarders = 16;

    /// <summary>Their key in the shared settings.</summary>
    public const string SettingKey = "dns/forwarders";

    public static IReadOnlyList<IPAddress> Read(DnsSettings dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        return File.Exists(dns.ForwardersFile) ? Parse(File.ReadAllLines(dns.ForwardersFile)) : [];
    }

    /// <summary>The forwarders in the shared settings with the setting's version (0: never set there, read from the file).</summary>
    public static (IReadOnlyList<IPAddress> Addresses, long Version) ReadShared(ISettingsStore settings, DnsSettings dns)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Get(SettingKey) is { } stored ? (Parse(stored.Value.Split('\n')), stored.Version) : (Read(dns), 0);
    }

    /// <summary>Writes them to the shared settings only if the setting still has <paramref name="expectedVersion"/> (0: only if never set); false when another instance came first.</summary>
    public static bool TryWriteShared(ISettingsStore settings, IReadOnlyList<IPAddress> addresses, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TrySet(SettingKey, string.Join('\n', addresses.Select(a => a.ToString())), expectedVersion);
    }

    private static IReadOnlyList<IPAddress> Parse(IEnumerable<string> lines)
    {
        return [.. lines
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => IPAddress.TryParse(line, out IPAddress? address) ? address : null)
            .OfType<IPAddress>()];
    }

    /// <summary>Null when the addresses can be used as forwarders, else why not.</summary>
    public static string? Check(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count is 0 or > MaxForwarders)
        {
            return $"Give 1 to {MaxForwarders} forwarder addresses.";
        }

        foreach (IPAddress address in addresses)
        {
            if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)
                || address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224))
            {
                return $"{address} cannot be a DNS forwarder (unspecified, broadcast or multicast).";
            }
        }

        return null;
    }

    public static void Write(DnsSettings dns, IReadOnlyList<IPAddress> addresses)
    {
        AtomicFile.WriteAllLines(dns.ForwardersFile, ["# DNS forwarders, written by Set-AzsDnsForwarder", .. addresses.Select(a => a.ToString())]);
    }
}
