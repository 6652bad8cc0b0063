using System.Globalization;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// A CloudAdmin account as stored: the password verifier and when it was made, signed by the stamp key.
/// The signature covers every field, so a record written into the store by anyone without the key, or a
/// verifier copied from one account to another, fails verification.
/// </summary>
public sealed record AccountRecord(string User, PasswordVerifier Verifier, DateTimeOffset CreatedUtc, DateTimeOffset PasswordChangedUtc, byte[] Signature)
{
    /// <summary>The exact bytes the stamp key signs.</summary>
    public static byte[] SignedBytes(string user, PasswordVerifier verifier, DateTimeOffset createdUtc, DateTimeOffset passwordChangedUtc)
    {
        string text = string.Join('\n',
            "pep-account-v1",
            user,
            Convert.ToBase64String(verifier.Salt),
            verifier.Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(verifier.Hash),
            createdUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            passwordChangedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return Encoding.UTF8.GetBytes(text);
    }

    public byte[] SignedBytes() => SignedBytes(User, Verifier, CreatedUtc, PasswordChangedUtc);
}
