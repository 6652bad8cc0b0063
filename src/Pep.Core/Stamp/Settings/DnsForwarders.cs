using System.Net;
using System.Net.Sockets;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Settings;

/// <summary>The stamp DNS's forwarders, kept one address per line in the file the manifest names.</summary>
public static class DnsForwarders
{
    public const int MaxForwarders = 16;

    public static IReadOnlyList<IPAddress> Read(DnsSettings dns)
    {
        if (!File.Exists(dns.ForwardersFile))
        {
            return [];
        }

        return [.. File.ReadAllLines(dns.ForwardersFile)
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
