namespace Pep.Core.Contracts.Broker;

/// <summary>Get-CloudAdminUserSshKey: the SSH public keys of one account, or of every account when <see cref="UserName"/> is null.</summary>
public sealed record ListSshKeysRequest(string? UserName) : BrokerRequest
{
    public override string Describe() => UserName is null ? "Get-CloudAdminUserSshKey" : $"Get-CloudAdminUserSshKey {Loggable(UserName)}";

    public override string? Validate() => UserName is null ? null : CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength);
}
