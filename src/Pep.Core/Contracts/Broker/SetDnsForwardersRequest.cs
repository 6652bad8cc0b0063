using Pep.Core.Stamp.Settings;

namespace Pep.Core.Contracts.Broker;

/// <summary>Set-AzsDnsForwarder: the forwarders' addresses as text (answered with <see cref="DnsForwardersReply"/>).</summary>
public sealed record SetDnsForwardersRequest(string[] Addresses) : BrokerRequest
{
    /// <summary>The longest text form of an IP address (IPv6 with an IPv4 tail and a scope).</summary>
    private const int MaxAddressLength = 64;

    public override string Describe() => $"Set-AzsDnsForwarder {string.Join(", ", Addresses.Take(DnsForwarders.MaxForwarders).Select(Loggable))}";

    public override string? Validate()
        => Addresses.Length is 0 or > DnsForwarders.MaxForwarders
            ? $"Give 1 to {DnsForwarders.MaxForwarders} forwarder addresses."
            : Addresses.Select(a => CheckLength(a, "An address", 1, MaxAddressLength)).FirstOrDefault(problem => problem is not null);
}
