using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// Slow salted password verifiers: PBKDF2-HMAC-SHA256 with at least 600,000 iterations (OWASP's figure
/// for this hash), compared in constant time.
/// </summary>
public static class PasswordHasher
{
    public const int MinimumIterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Derives a new verifier for a password.</summary>
    public static PasswordVerifier Create(ReadOnlySpan<char> password, int iterations = MinimumIterations)
    {
        if (iterations < MinimumIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), $"At least {MinimumIterations} iterations are required.");
        }

        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordVerifier(salt, iterations, Derive(password, salt, iterations));
    }

    /// <summary>True when the password matches the verifier; the comparison takes the same time either way.</summary>
    public static bool Verify(ReadOnlySpan<char> password, PasswordVerifier verifier)
    {
        byte[] candidate = Derive(password, verifier.Salt, verifier.Iterations);
        return CryptographicOperations.FixedTimeEquals(candidate, verifier.Hash);
    }

    /// <summary>
    /// Spends the time a real verification would, for a user that does not exist, so that timing does not
    /// tell which user names exist.
    /// </summary>
    public static void VerifyAgainstNobody(ReadOnlySpan<char> password)
        => Derive(password, DecoySalt, MinimumIterations);

    private static readonly byte[] DecoySalt = RandomNumberGenerator.GetBytes(SaltBytes);

    private static byte[] Derive(ReadOnlySpan<char> password, byte[] salt, int iterations)
    {
        int byteCount = Encoding.UTF8.GetByteCount(password);
        byte[] passwordBytes = new byte[byteCount];
        try
        {
            Encoding.UTF8.GetBytes(password, passwordBytes);
            return Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }
}

/// <summary>A stored password verifier: salt, iteration count and derived hash.</summary>
public sealed record PasswordVerifier(byte[] Salt, int Iterations, byte[] Hash);
