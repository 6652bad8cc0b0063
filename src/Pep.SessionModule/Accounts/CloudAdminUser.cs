using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>A CloudAdmin account as Get-CloudAdminUserList and New-CloudAdminUser show it (never its verifier).</summary>
public sealed record CloudAdminUser(string UserName, DateTime CreatedUtc, DateTime PasswordChangedUtc, bool Trusted)
{
    internal static CloudAdminUser From(BrokerAccount account) => new(account.UserName, account.CreatedUtc, account.PasswordChangedUtc, account.Trusted);
}
