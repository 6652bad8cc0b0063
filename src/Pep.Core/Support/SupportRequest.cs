using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.Core.Support;

/// <summary>
/// What a request token holds once decrypted, exactly the seed's three objects: a random session id, a
/// one-time self-signed certificate (its private key stays in the session host's memory) and an expiry.
/// Nothing in it names the stamp or the customer. Layout: <c>16-byte id ‖ i64 expiry (Unix seconds) ‖
/// u16 certificate length ‖ certificate (DER)</c>.
/// </summary>
public sealed record SupportRequest(Guid SessionId, DateTimeOffset ExpiresUtc, byte[] CertificateDer)
{
    /// <summary>One-time keys outside this range are refused by the authority.</summary>
    public const int MinimumKeyBits = 2048;

    public const int MaximumKeyBits = 4096;

    public byte[] Serialize()
    {
        byte[] data = new byte[16 + 8 + 2 + CertificateDer.Length];
        SessionId.TryWriteBytes(data, bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), ExpiresUtc.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(24), checked((ushort)CertificateDer.Length));
        CertificateDer.CopyTo(data, 26);
        return data;
    }

    /// <exception cref="SupportTokenException">Invalid for any malformed content.</exception>
    public static SupportRequest Parse(ReadOnlySpan<byte> data)
    {
        var reader = new TokenReader(data);
        Guid sessionId = reader.Guid();
        long expires = reader.Int64();
        int certificateLength = reader.UInt16();
        byte[] certificate = reader.Bytes(certificateLength).ToArray();
        reader.End();
        if (expires is < 0 or > 253402300799)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        return new SupportRequest(sessionId, DateTimeOffset.FromUnixTimeSeconds(expires), certificate);
    }

    /// <summary>The one-time public key from the certificate; an unusable certificate is an invalid token.</summary>
    public RSA OneTimePublicKey()
    {
        try
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(CertificateDer);
            RSA key = certificate.GetRSAPublicKey() ?? throw new SupportTokenException(SupportTokenFailure.Invalid);
            if (key.KeySize is < MinimumKeyBits or > MaximumKeyBits)
            {
                key.Dispose();
                throw new SupportTokenException(SupportTokenFailure.Invalid);
            }

            return key;
        }
        catch (CryptographicException)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }
    }
}
