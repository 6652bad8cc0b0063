using System.Text.Json;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// The notice every new session shows before its first prompt; empty caption and text mean none. Kept in the
/// deployment's shared settings (<see cref="SettingKey"/>), so every instance shows the same one at once; a notice
/// set before it was kept there is read from its old file until it is set again.
/// </summary>
public sealed record LegalNotice(string Caption, string Text)
{
    public const int MaxCaptionLength = 256;
    public const int MaxTextLength = 8192;

    /// <summary>Its key in the shared settings.</summary>
    public const string SettingKey = "notice/legal";

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

    /// <summary>The notice in the shared settings or, when none was ever set there, in its old file.</summary>
    public static LegalNotice Load(ISettingsStore settings, string legacyPath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Get(SettingKey) is not { } stored)
        {
            return Load(legacyPath);
        }

        try
        {
            return JsonSerializer.Deserialize<LegalNotice>(stored.Value, JsonFiles.HandWritten) ?? None;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"The shared setting '{SettingKey}' is not a valid legal notice: {e.Message}", e);
        }
    }

    /// <summary>Replaces the notice for every instance: a whole value, so the last writer wins and nothing is merged.</summary>
    public void Save(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Set(SettingKey, JsonSerializer.Serialize(this, JsonFiles.HandWritten));
    }

    /// <summary>Null when caption and text may be shown; else why not (control characters other than line breaks and tabs could rewrite an operator's screen).</summary>
    public string? Check()
        => (Caption + Text).Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            ? "The caption and text may not hold control characters (other than line breaks and tabs)."
            : null;
}
