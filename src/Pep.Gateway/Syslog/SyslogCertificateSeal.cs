using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Gateway.Syslog;

/// <summary>
/// The syslog client certificate as the shared settings keep it: its PFX (without a password) encrypted to the stamp
/// key's public half, so that only a gateway, which holds the private half, can read it; whoever reads the shared
/// store (etcd's other users, a backup) sees ciphertext.
/// </summary>
internal static class SyslogCertificateSeal
{
    /// <summary>Binds the ciphertext to its use: it cannot pass for another sealed value.</summary>
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("pep syslog client certificate v1");

    public static string Seal(StateLayout layout, ReadOnlySpan<byte> pfx)
    {
        using RSA stampKey = RSA.Create();
        stampKey.ImportFromPem(File.ReadAllText(layout.StampPublicKey));
        return Convert.ToBase64String(HybridEnvelope.Seal(stampKey, pfx, AssociatedData));
    }

    /// <exception cref="SupportTokenException">The value was not sealed to this stamp's key, or was changed.</exception>
    public static X509Certificate2 Open(StateLayout layout, string sealedCertificate)
    {
        using RSA stampKey = RSA.Create();
        stampKey.ImportFromPem(File.ReadAllText(layout.StampPrivateKey));
        byte[] pfx = HybridEnvelope.Open(stampKey, Convert.FromBase64String(sealedCertificate), AssociatedData);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.EphemeralKeySet);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }
}
