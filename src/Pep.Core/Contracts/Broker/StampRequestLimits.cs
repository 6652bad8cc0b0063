namespace Pep.Core.Contracts.Broker;

/// <summary>The bounds the stamp requests' names and paths share (the cmdlets' own parameter validation, checked again).</summary>
public static class StampRequestLimits
{
    public const int MaxNames = 100;

    public const int MaxNameLength = 64;

    public const int MaxPathLength = 4096;

    /// <summary>Null when <paramref name="names"/> holds 1 (or 0 when allowed) to <see cref="MaxNames"/> names of 1 to <see cref="MaxNameLength"/> characters.</summary>
    public static string? CheckNames(string[]? names, string what, bool allowEmpty)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Length > MaxNames || (names.Length == 0 && !allowEmpty))
        {
            return $"Give {(allowEmpty ? 0 : 1)} to {MaxNames} {what} names.";
        }

        return names.Any(n => n.Length is 0 or > MaxNameLength) ? $"A {what} name must have 1 to {MaxNameLength} characters." : null;
    }

    /// <summary>Null when <paramref name="path"/> is absent or has 1 to <see cref="MaxPathLength"/> characters.</summary>
    public static string? CheckPath(string? path, string what)
        => path is not null && path.Length is 0 or > MaxPathLength ? $"{what} must have 1 to {MaxPathLength} characters." : null;
}
