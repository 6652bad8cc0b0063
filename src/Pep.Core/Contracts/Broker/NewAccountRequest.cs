namespace Pep.Core.Contracts.Broker;

/// <summary>New-CloudAdminUser: adds an account with <see cref="Password"/> (UTF-8); answered with <see cref="AccountReply"/>.</summary>
public sealed record NewAccountRequest(string UserName, byte[] Password) : BrokerRequest
{
    public override string Describe() => $"New-CloudAdminUser {Loggable(UserName)}";

    public override string? Validate()
        => CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength) ?? CheckSecret(Password, nameof(Password), AccountLimits.MaxPasswordBytes);

    public override void ClearSecrets() => Array.Clear(Password);
}
