using Pep.Core.Accounts;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Add-CloudAdminUserSshKey: a public key in OpenSSH's one-line form, and the account's current password (UTF-8),
/// because a key lets its holder log in as the account and only whoever can already do so may add one. With
/// <see cref="CheckOnly"/> the gateway checks the account, the password and the key and changes nothing, so the cmdlet
/// can say so before it asks for confirmation.
/// </summary>
public sealed record AddSshKeyRequest(string UserName, string PublicKey, byte[] CurrentPassword, bool CheckOnly) : BrokerRequest
{
    public override string Describe() => $"Add-CloudAdminUserSshKey {Loggable(UserName)}{(CheckOnly ? " (check only)" : "")}";

    public override string? Validate()
        => CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength)
           ?? CheckLength(PublicKey, nameof(PublicKey), 1, SshPublicKey.MaxLineLength)
           ?? CheckSecret(CurrentPassword, nameof(CurrentPassword), AccountLimits.MaxPasswordBytes);

    public override void ClearSecrets() => Array.Clear(CurrentPassword);
}
