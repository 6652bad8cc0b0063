namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Set-CloudAdminUserPassword: both passwords UTF-8. With <see cref="CheckOnly"/> the gateway checks the account and
/// its current password (a wrong one counts as a failed login) and changes nothing, so the cmdlet can say so before
/// it asks for confirmation.
/// </summary>
public sealed record SetAccountPasswordRequest(string UserName, byte[] CurrentPassword, byte[] NewPassword, bool CheckOnly) : BrokerRequest
{
    public override string Describe() => $"Set-CloudAdminUserPassword {Loggable(UserName)}{(CheckOnly ? " (check only)" : "")}";

    public override string? Validate()
        => CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength)
           ?? CheckSecret(CurrentPassword, nameof(CurrentPassword), AccountLimits.MaxPasswordBytes)
           ?? CheckSecret(NewPassword, nameof(NewPassword), AccountLimits.MaxPasswordBytes);

    public override void ClearSecrets()
    {
        Array.Clear(CurrentPassword);
        Array.Clear(NewPassword);
    }
}
