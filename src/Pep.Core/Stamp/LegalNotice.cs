using System.Text.Json;

namespace Pep.Core.Stamp;

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
            return JsonSerializer.Deserialize<LegalNotice>(File.ReadAllText(path), StampManifest.JsonOptions) ?? None;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"'{path}' is not a valid legal notice: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, StampManifest.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}
