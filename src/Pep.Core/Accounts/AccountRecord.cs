using System.Globalization;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// A CloudAdmin account as stored: the password verifier, its status and version, signed by the stamp key.
/// The signature covers every field, so a record written into the store by anyone without the key, or a
/// verifier copied from one account to another, fails verification. <see cref="Version"/> grows with every
/// change of the account (a removal leaves a signed tombstone with the next version), so an old record
/// written back into the store is recognised as older than one already seen (<see cref="AccountVersionFloor"/>).
/// </summary>
public sealed record AccountRecord(
    string User, long Version, AccountStatus Status, PasswordVerifier Verifier, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature)
{
    /// <summary>The verifier a tombstone carries: no password matches it.</summary>
    public static PasswordVerifier NoVerifier { get; } = new([], 0, []);

    public bool IsRemoved => Status == AccountStatus.Removed;

    /// <summary>The exact bytes the stamp key signs.</summary>
    public static byte[] SignedBytes(string user, long version, AccountStatus status, PasswordVerifier verifier, DateTimeOffset createdUtc, DateTimeOffset passwordChangedUtc)
    {
        string text = string.Join('\n',
            "pep-account-v2",
            user,
            version.ToString(CultureInfo.InvariantCulture),
            status.ToString(),
            Convert.ToBase64String(verifier.Salt),
            verifier.Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(verifier.Hash),
            createdUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            passwordChangedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return Encoding.UTF8.GetBytes(text);
    }

    public byte[] SignedBytes() => SignedBytes(User, Version, Status, Verifier, CreatedUtc, PasswordChangedUtc);
}
