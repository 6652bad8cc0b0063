using System.Globalization;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// A CloudAdmin account as stored: the password verifier, its status and version, signed by the stamp key.
/// The signature covers every field, so a record written into the store by anyone without the key, or a
/// verifier copied from one account to another, fails verification. <see cref="Version"/> grows with every
/// change of the account (a removal leaves a signed tombstone with the next version), so an old record
/// written back into the store is recognised as older than one already seen (<see cref="AccountVersionFloor"/>).
/// A record without SSH keys signs the same bytes as before keys existed (<c>pep-account-v2</c>), so records
/// written by an earlier version still verify; one with keys signs them too (<c>pep-account-v3</c>).
/// </summary>
public sealed record AccountRecord(
    string User, long Version, AccountStatus Status, PasswordVerifier Verifier, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature)
{
    /// <summary>The verifier a tombstone carries: no password matches it.</summary>
    public static PasswordVerifier NoVerifier { get; } = new([], 0, []);

    public bool IsRemoved => Status == AccountStatus.Removed;

    /// <summary>The SSH public keys that log in as this account through the SSH front door, signed with the rest.</summary>
    public IReadOnlyList<SshPublicKey> SshKeys { get; init; } = [];

    /// <summary>The exact bytes the stamp key signs.</summary>
    public static byte[] SignedBytes(string user, long version, AccountStatus status, PasswordVerifier verifier, DateTimeOffset createdUtc, DateTimeOffset passwordChangedUtc, IReadOnlyList<SshPublicKey>? sshKeys = null)
    {
        bool withKeys = sshKeys is { Count: > 0 };
        string text = string.Join('\n',
            withKeys ? "pep-account-v3" : "pep-account-v2",
            user,
            version.ToString(CultureInfo.InvariantCulture),
            status.ToString(),
            Convert.ToBase64String(verifier.Salt),
            verifier.Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(verifier.Hash),
            createdUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            passwordChangedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (withKeys)
        {
            // One key a line: a key line holds no control character (SshPublicKey.TryParse), so lines cannot be shifted.
            text += "\n" + sshKeys!.Count.ToString(CultureInfo.InvariantCulture) + "\n" + string.Join('\n', sshKeys.Select(key => key.ToString()));
        }

        return Encoding.UTF8.GetBytes(text);
    }

    public byte[] SignedBytes() => SignedBytes(User, Version, Status, Verifier, CreatedUtc, PasswordChangedUtc, SshKeys);

    /// <summary>The keys as stored: one line each.</summary>
    public static string FormatKeys(IReadOnlyList<SshPublicKey> keys) => string.Join('\n', keys.Select(key => key.ToString()));

    /// <summary>
    /// Keys as <see cref="FormatKeys"/> wrote them. A line that does not parse is left out: the record then no longer
    /// matches its signature, so a damaged key list refuses the account instead of failing the store's reads.
    /// </summary>
    public static IReadOnlyList<SshPublicKey> ParseKeys(string? stored)
        => string.IsNullOrEmpty(stored) ? [] : [.. stored.Split('\n').Select(line => SshPublicKey.TryParse(line, out _)).OfType<SshPublicKey>()];
}
