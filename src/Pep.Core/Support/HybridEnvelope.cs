using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Pep.Core.Support;

/// <summary>
/// Encryption to an RSA public key for data larger than one RSA block: a fresh AES-256-GCM key encrypts the
/// data (with the token header as associated data), and RSA-OAEP-SHA256 wraps that key. Never PKCS#1 v1.5.
/// Layout: <c>u16 wrapped-key length ‖ wrapped key ‖ 12-byte nonce ‖ 16-byte tag ‖ ciphertext</c>.
/// </summary>
public static class HybridEnvelope
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int KeyLength = 32;

    public static byte[] Seal(RSA recipient, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        byte[] key = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            byte[] wrapped = recipient.Encrypt(key, RSAEncryptionPadding.OaepSHA256);
            byte[] sealedData = new byte[2 + wrapped.Length + NonceLength + TagLength + plaintext.Length];
            Span<byte> output = sealedData;
            BinaryPrimitives.WriteUInt16BigEndian(output, checked((ushort)wrapped.Length));
            wrapped.CopyTo(output[2..]);
            Span<byte> nonce = output.Slice(2 + wrapped.Length, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            Span<byte> tag = output.Slice(2 + wrapped.Length + NonceLength, TagLength);
            Span<byte> ciphertext = output[(2 + wrapped.Length + NonceLength + TagLength)..];
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
            return sealedData;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <exception cref="SupportTokenException"><see cref="SupportTokenFailure.Invalid"/> for every failure, whatever its cause.</exception>
    public static byte[] Open(RSA recipient, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < 2)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        int wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(sealedData);
        if (wrappedLength != recipient.KeySize / 8 || sealedData.Length < 2 + wrappedLength + NonceLength + TagLength)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }

        byte[]? key = null;
        try
        {
            key = recipient.Decrypt(sealedData.Slice(2, wrappedLength).ToArray(), RSAEncryptionPadding.OaepSHA256);
            if (key.Length != KeyLength)
            {
                throw new SupportTokenException(SupportTokenFailure.Invalid);
            }

            ReadOnlySpan<byte> nonce = sealedData.Slice(2 + wrappedLength, NonceLength);
            ReadOnlySpan<byte> tag = sealedData.Slice(2 + wrappedLength + NonceLength, TagLength);
            ReadOnlySpan<byte> ciphertext = sealedData[(2 + wrappedLength + NonceLength + TagLength)..];
            byte[] plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return plaintext;
        }
        catch (CryptographicException)
        {
            throw new SupportTokenException(SupportTokenFailure.Invalid);
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }
}
