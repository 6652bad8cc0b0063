using System.Buffers.Binary;
using System.Text;

namespace Pep.Core.Support;

/// <summary>
/// What a response token holds once decrypted: the seed's session id and expiry, plus what makes it safe: the
/// granted duration and the SHA-256 of the request token it answers, all signed by the authority's signing
/// key (RSA-PSS). Layout: <c>16-byte id ‖ i64 expiry ‖ u32 granted seconds ‖ 32-byte request hash ‖ u16
/// signature length ‖ signature</c>; the signature covers a fixed context string and the fields before it.
/// </summary>
public sealed record SupportResponse(Guid SessionId, DateTimeOffset ExpiresUtc, TimeSpan GrantedDuration, byte[] RequestHash, byte[] Signature)
{
    /// <summary>The seed: an elevated session is valid for 8 hours at most.</summary>
    public static readonly TimeSpan MaximumGrant = TimeSpan.FromHours(8);

    private static readonly byte[] SignatureContext = Encoding.ASCII.GetBytes("PEP support session response v1\0");

    /// <summary>The bytes the authority signs: a context string (so the signature means nothing elsewhere) and the fields.</summary>
    public static byte[] SignedContent(Guid sessionId, DateTimeOffset expiresUtc, TimeSpan granted, ReadOnlySpan<byte> requestHash)
    {
        byte[] data = new byte[SignatureContext.Length + 16 + 8 + 4 + 32];
        SignatureContext.CopyTo(data, 0);
        Span<byte> fields = data.AsSpan(SignatureContext.Length);
        sessionId.TryWriteBytes(fields, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(fields[16..], expiresUtc.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt32BigEndian(fields[24..], checked((uint)granted.TotalSeconds));
        requestHash.CopyTo(fields[28..]);
        return data;
    }

    public byte[] SignedContent() => SignedContent(SessionId, ExpiresUtc, GrantedDuration, RequestHash);

    public byte[] Serialize()
    {
        byte[] data = new byte[16 + 8 + 4 + 32 + 2 + Signature.Length];
        SessionId.TryWriteBytes(data, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), ExpiresUtc.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), checked((uint)GrantedDuration.TotalSeconds));
        RequestHash.CopyTo(data, 28);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(60), checked((ushort)Signature.Length));
        Signature.CopyTo(data, 62);
        return data;
    }

    /// <exception cref="SupportTokenException">Invalid for any malformed content.</exception>
    public static SupportResponse Parse(ReadOnlySpan<byte> data)
    {
        var reader = new TokenReader(data);
        Guid sessionId = reader.Guid();
        long expires = reader.Int64();
        uint seconds = reader.UInt32();
        byte[] requestHash = reader.Bytes(32).ToArray();
        int signatureLength = reader.UInt16();
        byte[] signature = reader.Bytes(signatureLength).ToArray();
        reader.End();
        if (expires is < 0 or > 253402300799 || seconds == 0 || seconds > MaximumGrant.TotalSeconds)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        return new SupportResponse(sessionId, DateTimeOffset.FromUnixTimeSeconds(expires), TimeSpan.FromSeconds(seconds), requestHash, signature);
    }
}
