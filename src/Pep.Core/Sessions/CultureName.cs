using System.Globalization;

namespace Pep.Core.Sessions;

/// <summary>Checks a culture name a client asked for: only names .NET knows, so nothing else reaches an environment variable.</summary>
public static class CultureName
{
    public static CultureInfo? TryResolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 32)
        {
            return null;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return null;
            }
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture.Name.Length == 0 ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The culture a POSIX locale names (<c>de_DE.UTF-8</c>, <c>fr_FR@euro</c> → de-DE, fr-FR), checked as
    /// <see cref="TryResolve"/> checks a name; null for <c>C</c>, <c>POSIX</c> and anything .NET does not know.
    /// </summary>
    public static CultureInfo? FromPosixLocale(string? locale)
    {
        string name = (locale ?? "").Split('.', '@')[0].Replace('_', '-');
        return name is "C" or "POSIX" ? null : TryResolve(name);
    }

    /// <summary>The POSIX locale for a culture, e.g. de-DE → de_DE.UTF-8, which .NET on Linux reads at start.</summary>
    public static string ToPosixLocale(CultureInfo culture) => culture.Name.Replace('-', '_') + ".UTF-8";
}
