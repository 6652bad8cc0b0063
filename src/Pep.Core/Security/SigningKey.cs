using System.Security.Cryptography;

namespace Pep.Core.Security;

/// <summary>
/// An RSA key that signs records with RSA-PSS over SHA-256. The stamp key signs credential records; each
/// instance key signs its transcript ledger. Verification needs only the public half, which every instance
/// keeps locally: that is how a login is checked without a remote call.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa;

    private SigningKey(RSA rsa, bool hasPrivateKey)
    {
        _rsa = rsa;
        HasPrivateKey = hasPrivateKey;
    }

    public bool HasPrivateKey { get; }

    public static SigningKey Generate()
    {
        RSA rsa = RSA.Create(3072);
        return new SigningKey(rsa, hasPrivateKey: true);
    }

    /// <summary>Loads a PEM file holding either a private key (PKCS#8) or only a public key (SPKI).</summary>
    public static SigningKey Load(string pemPath)
    {
        string pem = File.ReadAllText(pemPath);
        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new CryptographicException($"'{pemPath}' does not hold an RSA key in PEM form.", e);
        }

        bool hasPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        return new SigningKey(rsa, hasPrivate);
    }

    public string ExportPrivateKeyPem() => _rsa.ExportPkcs8PrivateKeyPem();

    public string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>SHA-256 of the public key: a short name for the key in logs and ledgers.</summary>
    public string PublicKeyId => Convert.ToHexStringLower(SHA256.HashData(_rsa.ExportSubjectPublicKeyInfo()))[..16];

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("This key holds only a public key and cannot sign.");
        }

        return _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _rsa.Dispose();
}
