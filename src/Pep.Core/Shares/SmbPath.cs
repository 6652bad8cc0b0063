using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pep.Core.Shares;

/// <summary>
/// A destination of the form <c>\\host\share\folder\…</c>. Every part is checked against a narrow character
/// set: the parts reach smbclient's command language, which splits on ';' and quotes with '"'.
/// </summary>
public sealed partial record SmbPath(string Host, string Share, IReadOnlyList<string> Folder)
{
    public string Service => $"//{Host}/{Share}";

    /// <summary>The folder as smbclient names it (backslashes), empty for the share's root.</summary>
    public string FolderPath => string.Join('\\', Folder);

    public override string ToString() => $@"\\{Host}\{Share}" + (Folder.Count > 0 ? "\\" + FolderPath : "");

    public static bool LooksLikeShare(string text) => text.StartsWith(@"\\", StringComparison.Ordinal) || text.StartsWith("//", StringComparison.Ordinal);

    public static bool TryParse(string text, [NotNullWhen(true)] out SmbPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        string[] parts = text.Replace('/', '\\').TrimStart('\\').Split('\\', StringSplitOptions.RemoveEmptyEntries);
        if (!LooksLikeShare(text) || parts.Length < 2)
        {
            error = @"A share path has the form \\host\share or \\host\share\folder.";
            return false;
        }

        if (!HostPattern().IsMatch(parts[0]))
        {
            error = "The share's host must be a host name or an IP address.";
            return false;
        }

        foreach (string part in parts.Skip(1))
        {
            if (!SegmentPattern().IsMatch(part) || part is "." or "..")
            {
                error = "Share and folder names may hold letters, digits, spaces and . _ - $ only, and no '..'.";
                return false;
            }
        }

        path = new SmbPath(parts[0], parts[1], parts[2..]);
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.\-]{0,252})$|^\[?[0-9A-Fa-f:]+\]?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[A-Za-z0-9 _.$\-]{1,255}$")]
    private static partial Regex SegmentPattern();
}
