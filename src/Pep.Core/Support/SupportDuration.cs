using System.Globalization;
using System.Text.RegularExpressions;

namespace Pep.Core.Support;

/// <summary>Durations as people type them for <c>pep authority grant --duration</c>: <c>4h</c>, <c>90m</c>, <c>1h30m</c>, <c>45s</c>.</summary>
public static partial class SupportDuration
{
    /// <exception cref="FormatException">Not a duration of this form.</exception>
    public static TimeSpan Parse(string text)
    {
        Match match = DurationPattern().Match(text.Trim());
        if (!match.Success || match.Length == 0 || text.Trim().Length == 0)
        {
            throw new FormatException($"'{text}' is not a duration like 4h, 90m, 1h30m or 45s.");
        }

        static double Part(Group group) => group.Success ? double.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromHours(Part(match.Groups["h"])) + TimeSpan.FromMinutes(Part(match.Groups["m"])) + TimeSpan.FromSeconds(Part(match.Groups["s"]));
    }

    public static string Format(TimeSpan duration)
        => duration.TotalSeconds % 60 != 0 ? $"{(long)duration.TotalSeconds}s"
            : duration.TotalMinutes % 60 != 0 ? $"{(long)duration.TotalMinutes}m"
            : $"{(long)duration.TotalHours}h";

    [GeneratedRegex(@"^(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,6})m)?(?:(?<s>\d{1,8})s)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
