using Pep.Core.Platform;

namespace Pep.Core.Certificates;

/// <summary>
/// A folder on the endpoint host under one of the deployment's allowed roots (allowedOutputRoots). Each file
/// is resolved again, so a symbolic link in the folder cannot point the service account elsewhere.
/// </summary>
public sealed class LocalPfxSource(string display, string folder, IReadOnlyList<string> allowedRoots) : IPfxSource
{
    public string Display { get; } = display;

    public Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyList<string> fileNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (string name in fileNames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? path = AllowedRoots.Resolve(Path.Combine(folder, name), allowedRoots);
            if (path is null)
            {
                throw new CertificateRejectedException("PfxPathNotAllowed", $"{name} in {Display} leads outside the allowed folders.");
            }

            if (!File.Exists(path))
            {
                missing.Add(name);
                continue;
            }

            files[name] = PfxFiles.ReadBounded(path, name);
        }

        return missing.Count > 0
            ? throw PfxFiles.Missing(Display, missing, fileNames)
            : Task.FromResult<IReadOnlyDictionary<string, byte[]>>(files);
    }
}
