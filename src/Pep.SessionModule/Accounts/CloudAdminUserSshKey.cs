using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>An SSH public key of a CloudAdmin account, as Get-CloudAdminUserSshKey shows it (its fingerprint, never the key).</summary>
public sealed record CloudAdminUserSshKey(string UserName, string Fingerprint, string Algorithm, string Comment)
{
    internal static CloudAdminUserSshKey From(BrokerSshKey key) => new(key.UserName, key.Fingerprint, key.Algorithm, key.Comment);
}
