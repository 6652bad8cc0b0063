namespace Pep.Core.Certificates;

/// <summary>Where Start-SecretRotation -PfxFilesPath reads the operator's certificates: a share or an allowed local folder.</summary>
public interface IPfxSource
{
    /// <summary>What the operator named, for messages and the rotation state (no credential).</summary>
    string Display { get; }

    /// <summary>The contents of each named file; a <see cref="CertificateRejectedException"/> (PfxFileMissing) lists the absent ones.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyList<string> fileNames, CancellationToken cancellationToken);
}
