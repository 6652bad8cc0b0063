using Pep.Core.Stamp.Settings;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Register-CustomDnsServer: conditional forwarding of one DNS zone to the customer's servers, addresses as text
/// (answered with <see cref="DnsServerSettingsReply"/>). <see cref="TimeoutSeconds"/> bounds the DNS role's reload.
/// </summary>
public sealed record RegisterCustomDnsServerRequest(string ZoneName, string[] Addresses, int TimeoutSeconds) : BrokerRequest
{
    /// <summary>The longest text form of an IP address (IPv6 with an IPv4 tail and a scope).</summary>
    private const int MaxAddressLength = 64;

    public override string Describe()
        => $"Register-CustomDnsServer {Loggable(ZoneName)} {string.Join(", ", Addresses.Take(DnsServerSettings.MaxServersPerZone).Select(Loggable))}";

    public override string? Validate()
        => CheckLength(ZoneName, nameof(ZoneName), 1, DnsServerSettings.MaxZoneNameLength)
           ?? (Addresses.Length is 0 or > DnsServerSettings.MaxServersPerZone ? $"Give 1 to {DnsServerSettings.MaxServersPerZone} server addresses." : null)
           ?? Addresses.Select(a => CheckLength(a, "An address", 1, MaxAddressLength)).FirstOrDefault(problem => problem is not null)
           ?? (TimeoutSeconds is < 1 or > DnsServerSettings.MaxTimeoutSeconds ? $"The timeout must be 1 to {DnsServerSettings.MaxTimeoutSeconds} seconds." : null);
}
