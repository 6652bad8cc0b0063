using System.Text.Json;
using Pep.Core.Platform;

namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// What the stamp behind the endpoint is made of: its nodes and infrastructure roles, where their logs
/// are, how to test their health and how to stop and start them. Kept in <c>&lt;state&gt;/stamp.json</c>;
/// the schema is documented in docs/stamp-manifest.md. The endpoint only acts on what this file declares:
/// commands are argv arrays run without a shell, paths are absolute.
/// </summary>
public sealed record StampManifest
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;

    public required string Name { get; init; }

    public required string Region { get; init; }

    public required string Domain { get; init; }

    public IReadOnlyList<ExternalEndpoint> ExternalEndpoints { get; init; } = [];

    public IReadOnlyList<StampNode> Nodes { get; init; } = [];

    public IReadOnlyList<StampRole> Roles { get; init; } = [];

    /// <summary>Named groups of health categories for Test-AzureStack -Group; missing ones get the conventional defaults.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TestGroups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The stamp's DNS: where its forwarders are written and which role reloads them; null when the stamp has none.</summary>
    public DnsSettings? Dns { get; init; }

    /// <summary>Certificates the roles serve with, rotated by Start-SecretRotation (docs/secret-rotation.md).</summary>
    public IReadOnlyList<StampCertificate> Certificates { get; init; } = [];

    public StampRole? FindRole(string name)
        => Roles.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Roles in start order (ties keep the manifest's order); stop uses the reverse.</summary>
    public IReadOnlyList<StampRole> StartOrder() => [.. Roles.Select((role, index) => (role, index)).OrderBy(p => p.role.Order).ThenBy(p => p.index).Select(p => p.role)];

    public static StampManifest Load(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            StampManifest manifest = JsonSerializer.Deserialize<StampManifest>(stream, JsonFiles.HandWritten)
                ?? throw new StampManifestException($"'{path}' is empty.");
            StampManifestValidator.Validate(manifest, path);
            return manifest;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"'{path}' is not a valid stamp manifest: {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new StampManifestException($"The stamp manifest '{path}' is missing. 'pep init' writes one; describe the stamp's roles there.", e);
        }
    }

    public static StampManifest Parse(string json, string source)
    {
        try
        {
            StampManifest manifest = JsonSerializer.Deserialize<StampManifest>(json, JsonFiles.HandWritten)
                ?? throw new StampManifestException($"'{source}' is empty.");
            StampManifestValidator.Validate(manifest, source);
            return manifest;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"'{source}' is not a valid stamp manifest: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonFiles.HandWritten));
    }
}
