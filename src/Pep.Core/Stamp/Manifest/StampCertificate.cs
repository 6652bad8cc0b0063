namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// A certificate one of the stamp's roles serves with (docs/secret-rotation.md). Start-SecretRotation
/// writes it to <see cref="Path"/> (a PKCS#12 file without a password, mode 0600) and its public half beside
/// it as PEM (<c>.crt</c>), then runs <see cref="Role"/>'s reload command so the role picks it up.
/// </summary>
public sealed record StampCertificate
{
    /// <summary>Also the file name an external import expects: <c>&lt;name&gt;.pfx</c> in -PfxFilesPath.</summary>
    public required string Name { get; init; }

    public CertificateKind Kind { get; init; } = CertificateKind.External;

    /// <summary>DNS names the certificate must cover (an external one may cover them with a wildcard); the first is the subject's CN of an internal one.</summary>
    public IReadOnlyList<string> SubjectNames { get; init; } = [];

    /// <summary>Absolute path of the installed PKCS#12 file (ends in .pfx).</summary>
    public required string Path { get; init; }

    /// <summary>The role whose reload command makes it use the new certificate; none when it reads the file itself.</summary>
    public string? Role { get; init; }

    /// <summary>Where the PEM copy of the public certificate goes: the same path with <c>.crt</c>.</summary>
    public string PemPath => System.IO.Path.ChangeExtension(Path, ".crt");
}
