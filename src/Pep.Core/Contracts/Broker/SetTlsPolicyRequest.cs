using Pep.Core.Stamp.Settings;

namespace Pep.Core.Contracts.Broker;

/// <summary>Set-TLSPolicy: one of <see cref="TlsPolicy.Versions"/> (answered with <see cref="TlsPolicyReply"/>).</summary>
public sealed record SetTlsPolicyRequest(string Version) : BrokerRequest
{
    public override string Describe() => $"Set-TLSPolicy {Loggable(Version)}";

    public override string? Validate()
        => TlsPolicy.Normalize(Version) is null ? $"The version must be one of {string.Join(", ", TlsPolicy.Versions)}." : null;
}
