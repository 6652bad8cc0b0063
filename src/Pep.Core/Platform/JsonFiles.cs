using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pep.Core.Platform;

/// <summary>How the endpoint's own JSON files are written and read: camelCase, indented, enums by name.</summary>
public static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// For files people write by hand (the stamp manifest): comments and trailing commas are accepted, and an
    /// unknown property is an error rather than a setting silently ignored.
    /// </summary>
    public static readonly JsonSerializerOptions HandWritten = new(Options)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
