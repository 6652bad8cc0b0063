using System.Security.Cryptography.X509Certificates;
using Pep.Core.Platform;
using Pep.Core.Security;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>
/// Writes certificates so that a reader never sees a half-written one: each file is written beside its
/// target (<c>.new</c>, mode 0600 for key material), read back, and only then renamed over the old one
/// (rename(2) is atomic), so the endpoint and the roles always find either the old or the new certificate.
/// </summary>
public static class CertificateFiles
{
    /// <summary>Writes the certificate with its private key as a password-less PKCS#12 file (0600) where a rotation keeps it until it is installed.</summary>
    public static void Stage(X509Certificate2 certificate, string stagedPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        PrivateDirectory.Create(Path.GetDirectoryName(stagedPath)!);
        byte[] pfx = certificate.Export(X509ContentType.Pkcs12);
        try
        {
            ReplaceAtomically(stagedPath, pfx, secret: true);
        }
        finally
        {
            Array.Clear(pfx);
        }
    }

    /// <summary>Installs a staged certificate at the target's path (and its PEM beside it); returns what is installed now.</summary>
    public static X509Certificate2 Install(string stagedPath, StampCertificate target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using X509Certificate2 staged = TlsCertificate.LoadPfx(stagedPath);
        if (!staged.HasPrivateKey)
        {
            throw new IOException($"The staged certificate for {target.Name} has no private key.");
        }

        PrivateDirectory.Create(Path.GetDirectoryName(target.Path)!);
        byte[] pfx = File.ReadAllBytes(stagedPath);
        try
        {
            ReplaceAtomically(target.Path, pfx, secret: true);
        }
        finally
        {
            Array.Clear(pfx);
        }

        ReplaceAtomically(target.PemPath, System.Text.Encoding.ASCII.GetBytes(staged.ExportCertificatePem() + "\n"), secret: false);
        return TlsCertificate.LoadPfx(target.Path);
    }

    /// <summary>The certificate installed at the target's path, or null when there is none (an external one never imported).</summary>
    public static X509Certificate2? ReadInstalled(StampCertificate target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return File.Exists(target.Path) ? TlsCertificate.LoadPfx(target.Path) : null;
    }

    /// <summary>The new file is complete on disk before it takes the old one's name: a crash cannot leave the name on an empty file.</summary>
    private static void ReplaceAtomically(string path, byte[] contents, bool secret)
        => AtomicFile.WriteAllBytes(path, contents, secret ? AtomicFile.Private : AtomicFile.Readable, temporarySuffix: ".new");
}
