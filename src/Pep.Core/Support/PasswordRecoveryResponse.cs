using System.Buffers.Binary;
using System.Text;

namespace Pep.Core.Support;

/// <summary>
/// The support authority's answer to a recovery token: the recovery id, expiry and account of the request, and the
/// SHA-256 of the request token it answers (which covers the instance binding and the password commitment), signed
/// with the authority's signing key (RSA-PSS) under a context string of its own, so no signature of break the glass
/// passes for one of a recovery. It carries no secret, so it is signed and not encrypted: the gateway that issued the
/// request checks it against what it keeps in memory. Layout: <c>16-byte id ‖ i64 expiry ‖ 32-byte request hash ‖ u8
/// account length ‖ account (UTF-8) ‖ u16 signature length ‖ signature</c>.
/// </summary>
public sealed record PasswordRecoveryResponse(Guid RecoveryId, DateTimeOffset ExpiresUtc, byte[] RequestHash, string Account, byte[] Signature)
{
    private static readonly byte[] SignatureContext = Encoding.ASCII.GetBytes("PEP CloudAdmin password recovery response v1\0");

    /// <summary>The bytes the authority signs: the context string and every field before the signature.</summary>
    public static byte[] SignedContent(Guid recoveryId, DateTimeOffset expiresUtc, ReadOnlySpan<byte> requestHash, string account)
        => [.. SignatureContext, .. Fields(recoveryId, expiresUtc, requestHash, account)];

    public byte[] SignedContent() => SignedContent(RecoveryId, ExpiresUtc, RequestHash, Account);

    public byte[] Serialize()
    {
        byte[] fields = Fields(RecoveryId, ExpiresUtc, RequestHash, Account);
        byte[] data = new byte[fields.Length + 2 + Signature.Length];
        fields.CopyTo(data, 0);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(fields.Length), checked((ushort)Signature.Length));
        Signature.CopyTo(data, fields.Length + 2);
        return data;
    }

    /// <exception cref="SupportTokenException">Invalid for any malformed content.</exception>
    public static PasswordRecoveryResponse Parse(ReadOnlySpan<byte> data)
    {
        var reader = new TokenReader(data);
        Guid id = reader.Guid();
        long expires = reader.Int64();
        byte[] requestHash = reader.Bytes(PasswordRecoveryRequest.HashLength).ToArray();
        string account = PasswordRecoveryRequest.ReadAccount(ref reader);
        int signatureLength = reader.UInt16();
        byte[] signature = reader.Bytes(signatureLength).ToArray();
        reader.End();
        if (expires is < 0 or > 253402300799)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        return new PasswordRecoveryResponse(id, DateTimeOffset.FromUnixTimeSeconds(expires), requestHash, account, signature);
    }

    private static byte[] Fields(Guid recoveryId, DateTimeOffset expiresUtc, ReadOnlySpan<byte> requestHash, string account)
    {
        byte[] name = Encoding.UTF8.GetBytes(account);
        byte[] data = new byte[16 + 8 + PasswordRecoveryRequest.HashLength + 1 + name.Length];
        recoveryId.TryWriteBytes(data, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), expiresUtc.ToUnixTimeSeconds());
        requestHash.CopyTo(data.AsSpan(24));
        data[24 + PasswordRecoveryRequest.HashLength] = checked((byte)name.Length);
        name.CopyTo(data, 25 + PasswordRecoveryRequest.HashLength);
        return data;
    }
}
