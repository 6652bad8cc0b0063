using System.Security.Cryptography.X509Certificates;
using Pep.Core.Security;
using Pep.Core.Stamp;

namespace Pep.Core.Certificates;

/// <summary>
/// Writes certificates so that a reader never sees a half-written one: each file is written beside its
/// target (<c>.new</c>, mode 0600 for key material), read back, and only then renamed over the old one
/// (rename(2) is atomic), so the endpoint and the roles always find either the old or the new certificate.
/// </summary>
public static class CertificateFiles
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes the certificate with its private key as a password-less PKCS#12 file (0600) where a rotation keeps it until it is installed.</summary>
    public static void Stage(X509Certificate2 certificate, string stagedPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(Path.GetDirectoryName(stagedPath)!, PrivateDirectory);
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

        Directory.CreateDirectory(Path.GetDirectoryName(target.Path)!, PrivateDirectory);
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

    private static void ReplaceAtomically(string path, byte[] contents, bool secret)
    {
        string temporary = path + ".new";
        File.Delete(temporary);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);

            // On the disk before the rename: a crash cannot leave the new name on an empty file.
            stream.Flush(flushToDisk: true);
        }

        if (new FileInfo(temporary).Length != contents.Length)
        {
            throw new IOException($"'{temporary}' was not written completely.");
        }

        File.Move(temporary, path, overwrite: true);
    }
}
