using System.Text.Json;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Settings;

/// <summary>The notice every new session shows before its first prompt; empty caption and text mean none.</summary>
public sealed record LegalNotice(string Caption, string Text)
{
    public const int MaxCaptionLength = 256;
    public const int MaxTextLength = 8192;

    public static LegalNotice None { get; } = new(string.Empty, string.Empty);

    public static LegalNotice Load(string path)
    {
        if (!File.Exists(path))
        {
            return None;
        }

        try
        {
            return JsonSerializer.Deserialize<LegalNotice>(File.ReadAllText(path), JsonFiles.HandWritten) ?? None;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"'{path}' is not a valid legal notice: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonFiles.HandWritten));
    }
}
