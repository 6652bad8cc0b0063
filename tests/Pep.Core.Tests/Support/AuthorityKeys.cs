using System.Security.Cryptography;

namespace Pep.Core.Tests.Support;

/// <summary>Key pairs made once for all support token tests (3072-bit RSA generation is slow).</summary>
public sealed class AuthorityKeys : IDisposable
{
    public RSA Encryption { get; } = RSA.Create(3072);

    public RSA Signing { get; } = RSA.Create(3072);

    /// <summary>Another authority's signing key: what a forger would sign with.</summary>
    public RSA OtherSigning { get; } = RSA.Create(3072);

    public RSA OtherEncryption { get; } = RSA.Create(3072);

    public static RSA Copy(RSA key)
    {
        RSA copy = RSA.Create();
        copy.ImportPkcs8PrivateKey(key.ExportPkcs8PrivateKey(), out _);
        return copy;
    }

    public void Dispose()
    {
        Encryption.Dispose();
        Signing.Dispose();
        OtherSigning.Dispose();
        OtherEncryption.Dispose();
    }
}
