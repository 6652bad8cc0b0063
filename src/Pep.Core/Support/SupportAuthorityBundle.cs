using System.Security.Cryptography;
using System.Text.Json;
using Pep.Core.Platform;

namespace Pep.Core.Support;

/// <summary>
/// The support authority's public key bundle, registered with a stamp at deployment: the encryption key
/// (request tokens are encrypted to it) and the signing key (response tokens must be signed by it). JSON with
/// both keys as SPKI PEM, so it can be read, mailed and compared by people.
/// </summary>
public sealed class SupportAuthorityBundle : IDisposable
{
    public const int Schema = 1;

    /// <summary>Bundles are a few kilobytes; anything much larger is not one.</summary>
    private const int MaxBundleLength = 64 * 1024;

    private SupportAuthorityBundle(RSA encryptionKey, RSA signingKey)
    {
        EncryptionKey = encryptionKey;
        SigningKey = signingKey;
    }

    public RSA EncryptionKey { get; }

    public RSA SigningKey { get; }

    /// <summary>A short name for the bundle: the first 16 hex digits of SHA-256 over both public keys.</summary>
    public string KeyId => IdOf(EncryptionKey, SigningKey);

    public static string IdOf(RSA encryptionKey, RSA signingKey)
    {
        byte[] both = [.. encryptionKey.ExportSubjectPublicKeyInfo(), .. signingKey.ExportSubjectPublicKeyInfo()];
        return Convert.ToHexStringLower(SHA256.HashData(both))[..16];
    }

    public static string ToJson(RSA encryptionKey, RSA signingKey)
        => JsonSerializer.Serialize(new BundleFile(Schema, IdOf(encryptionKey, signingKey), encryptionKey.ExportSubjectPublicKeyInfoPem(), signingKey.ExportSubjectPublicKeyInfoPem()), JsonFiles.Options);

    public string ToJson() => ToJson(EncryptionKey, SigningKey);

    /// <exception cref="FormatException">The text is not a bundle of two usable RSA public keys.</exception>
    public static SupportAuthorityBundle Parse(string json)
    {
        if (json.Length > MaxBundleLength)
        {
            throw new FormatException("This is not a support authority bundle: it is far too long.");
        }

        BundleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<BundleFile>(json, JsonFiles.Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"This is not a support authority bundle: {e.Message}", e);
        }

        if (file is null || file.Schema != Schema || file.EncryptionKey is null || file.SigningKey is null)
        {
            throw new FormatException($"This is not a support authority bundle of schema {Schema} with an encryption and a signing key.");
        }

        RSA encryption = ImportPublic(file.EncryptionKey, "encryption");
        RSA signing;
        try
        {
            signing = ImportPublic(file.SigningKey, "signing");
        }
        catch
        {
            encryption.Dispose();
            throw;
        }

        if (encryption.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(signing.ExportSubjectPublicKeyInfo()))
        {
            encryption.Dispose();
            signing.Dispose();
            throw new FormatException("The bundle's encryption and signing keys are the same key; the authority must use two key pairs.");
        }

        return new SupportAuthorityBundle(encryption, signing);
    }

    public static SupportAuthorityBundle Load(string path) => Parse(File.ReadAllText(path));

    private static RSA ImportPublic(string pem, string role)
    {
        RSA key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"The bundle's {role} key is not an RSA public key in PEM form.", e);
        }

        if (key.KeySize < SupportRequest.MinimumKeyBits || pem.Contains("PRIVATE", StringComparison.Ordinal))
        {
            key.Dispose();
            throw new FormatException($"The bundle's {role} key must be an RSA public key of at least {SupportRequest.MinimumKeyBits} bits.");
        }

        return key;
    }

    public void Dispose()
    {
        EncryptionKey.Dispose();
        SigningKey.Dispose();
    }

    private sealed record BundleFile(int Schema, string? KeyId, string? EncryptionKey, string? SigningKey);
}
