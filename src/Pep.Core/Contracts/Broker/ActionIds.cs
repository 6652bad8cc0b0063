namespace Pep.Core.Contracts.Broker;

/// <summary>An action's id as requests carry it: 32 hex digits (a GUID without separators).</summary>
public static class ActionIds
{
    public const int Length = 32;

    /// <summary>Null when <paramref name="id"/> is an action id's shape, else why not.</summary>
    public static string? Check(string id)
        => id is { Length: Length } && id.All(char.IsAsciiHexDigit) ? null : $"An action id has {Length} hex digits.";
}
