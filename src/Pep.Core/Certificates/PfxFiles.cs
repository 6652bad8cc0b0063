namespace Pep.Core.Certificates;

/// <summary>What the sources share: the refusal of a folder that lacks expected files, and the size bound.</summary>
internal static class PfxFiles
{
    public static CertificateRejectedException Missing(string source, IReadOnlyList<string> missing, IReadOnlyList<string> expected)
        => new("PfxFileMissing", $"{source} does not hold {string.Join(", ", missing)}. It must hold one file per external certificate: {string.Join(", ", expected)}.");

    public static byte[] ReadBounded(string path, string name)
    {
        var info = new FileInfo(path);
        if (info.Length > PfxValidator.MaxPfxBytes)
        {
            throw new CertificateRejectedException("PfxFileTooLarge", $"{name} is larger than {PfxValidator.MaxPfxBytes / 1024} KiB; it is not a single certificate with its chain.");
        }

        return File.ReadAllBytes(path);
    }
}
