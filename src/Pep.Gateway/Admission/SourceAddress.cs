using System.Net;
using System.Net.Sockets;

namespace Pep.Gateway.Admission;

/// <summary>
/// The key under which a client's address is limited: an IPv4 address as it is (IPv4-mapped IPv6 included),
/// an IPv6 address by its /64, because one host is commonly given a whole /64 and could rotate through it.
/// </summary>
internal static class SourceAddress
{
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
