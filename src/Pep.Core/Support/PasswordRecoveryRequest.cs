using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pep.Core.Accounts;

namespace Pep.Core.Support;

/// <summary>
/// What a CloudAdmin password recovery token holds once decrypted (only the support authority can): a random recovery
/// id (the nonce), an expiry, the account to recover, a binding to the stamp and instance that issued it, and a
/// commitment to the new password. The commitment is a SHA-256 over the new password's salted PBKDF2 verifier, which
/// stays in the issuing gateway's memory: neither the password nor its verifier ever leaves the endpoint, and the salt
/// the vendor never sees makes the commitment useless for guessing. Layout: <c>16-byte id ‖ i64 expiry (Unix seconds) ‖
/// 32-byte instance binding ‖ 32-byte commitment ‖ u8 account length ‖ account (UTF-8)</c>.
/// </summary>
public sealed record PasswordRecoveryRequest(Guid RecoveryId, DateTimeOffset ExpiresUtc, byte[] InstanceBinding, byte[] PasswordCommitment, string Account)
{
    public const int HashLength = 32;

    /// <summary>Account names are far shorter (AccountName allows 64 characters and the domain 15).</summary>
    public const int MaxAccountBytes = 255;

    private static readonly byte[] CommitmentContext = Encoding.ASCII.GetBytes("PEP password recovery commitment v1\0");

    private static readonly byte[] BindingContext = Encoding.ASCII.GetBytes("PEP password recovery instance v1\0");

    /// <summary>The commitment to a new password: SHA-256 over a context string and its verifier (iterations, salt, hash).</summary>
    public static byte[] CommitmentTo(PasswordVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        byte[] iterations = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(iterations, verifier.Iterations);
        return SHA256.HashData([.. CommitmentContext, .. iterations, (byte)verifier.Salt.Length, .. verifier.Salt, .. verifier.Hash]);
    }

    /// <summary>The binding to one instance of one stamp: a hash, so the token names neither (the seed's promise for tokens).</summary>
    public static byte[] BindingOf(Guid cloudId, string instance)
        => SHA256.HashData([.. BindingContext, .. cloudId.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(instance)]);

    public byte[] Serialize()
    {
        byte[] account = Encoding.UTF8.GetBytes(Account);
        byte[] data = new byte[16 + 8 + HashLength + HashLength + 1 + account.Length];
        RecoveryId.TryWriteBytes(data, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), ExpiresUtc.ToUnixTimeSeconds());
        InstanceBinding.CopyTo(data, 24);
        PasswordCommitment.CopyTo(data, 24 + HashLength);
        data[24 + (2 * HashLength)] = checked((byte)account.Length);
        account.CopyTo(data, 25 + (2 * HashLength));
        return data;
    }

    /// <exception cref="SupportTokenException">Invalid for any malformed content.</exception>
    public static PasswordRecoveryRequest Parse(ReadOnlySpan<byte> data)
    {
        var reader = new TokenReader(data);
        Guid id = reader.Guid();
        long expires = reader.Int64();
        byte[] binding = reader.Bytes(HashLength).ToArray();
        byte[] commitment = reader.Bytes(HashLength).ToArray();
        string account = ReadAccount(ref reader);
        reader.End();
        if (expires is < 0 or > 253402300799)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        return new PasswordRecoveryRequest(id, DateTimeOffset.FromUnixTimeSeconds(expires), binding, commitment, account);
    }

    /// <summary>A u8 length and that many bytes of UTF-8, which must decode strictly and be printable.</summary>
    internal static string ReadAccount(ref TokenReader reader)
    {
        int length = reader.Bytes(1)[0];
        ReadOnlySpan<byte> bytes = reader.Bytes(length);
        try
        {
            string account = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            if (account.Length == 0 || account.Any(char.IsControl))
            {
                throw new SupportTokenException(SupportTokenFailure.Invalid);
            }

            return account;
        }
        catch (DecoderFallbackException)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }
    }
}
