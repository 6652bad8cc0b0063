namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Get-CloudAdminPasswordRecoveryToken: a recovery token for <see cref="UserName"/> (null: the deployment's initial
/// CloudAdmin account) committing to <see cref="NewPassword"/> (UTF-8, a secret wiped once used; the gateway keeps only
/// its salted verifier); answered with <see cref="PasswordRecoveryTokenReply"/>.
/// </summary>
public sealed record RequestPasswordRecoveryRequest(string? UserName, byte[] NewPassword) : BrokerRequest
{
    public override string Describe() => "Get-CloudAdminPasswordRecoveryToken" + (UserName is null ? "" : " " + Loggable(UserName));

    public override string? Validate()
        => (UserName is null ? null : CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength))
           ?? CheckSecret(NewPassword, nameof(NewPassword), AccountLimits.MaxPasswordBytes);

    public override void ClearSecrets() => Array.Clear(NewPassword);
}
