namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Remove-CloudAdminUserSshKey: the key named by its fingerprint (<c>SHA256:…</c>, as Get-CloudAdminUserSshKey shows
/// it). With <see cref="CheckOnly"/> the gateway only checks that the account has the key.
/// </summary>
public sealed record RemoveSshKeyRequest(string UserName, string Fingerprint, bool CheckOnly) : BrokerRequest
{
    /// <summary>"SHA256:" and 43 base64 characters, with room for a pasted line's stray spaces.</summary>
    public const int MaxFingerprintLength = 100;

    public override string Describe() => $"Remove-CloudAdminUserSshKey {Loggable(UserName)} {Loggable(Fingerprint)}{(CheckOnly ? " (check only)" : "")}";

    public override string? Validate()
        => CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength)
           ?? CheckLength(Fingerprint, nameof(Fingerprint), 1, MaxFingerprintLength);
}
