using System.Globalization;
using System.Text.RegularExpressions;

namespace Pep.Core.Shares;

/// <summary>
/// A file share path <c>\\host\share\folder\...</c> (host may carry <c>:port</c>). Only plain names pass:
/// the parts end up in smbclient's command language, so separators, quotes and ".." are refused outright.
/// </summary>
public sealed partial record SharePath(string Host, int? Port, string Share, IReadOnlyList<string> Folders)
{
    public static SharePath? TryParse(string? text, out string? error)
    {
        error = null;
        Match match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not a share path like \\\\server\\share\\folder (names of letters, digits, '.', '-', '_' and spaces).";
            return null;
        }

        string[] folders = [.. match.Groups["folder"].Captures.Select(c => c.Value)];
        if (folders.Any(f => f.Trim('.').Length == 0 || f != f.Trim()))
        {
            error = $"'{text}' has a folder name that is only dots or starts or ends with a space.";
            return null;
        }

        int? port = match.Groups["port"].Success ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) : null;
        if (port is < 1 or > 65535)
        {
            error = $"'{text}' has an invalid port.";
            return null;
        }

        return new SharePath(match.Groups["host"].Value, port, match.Groups["share"].Value, folders);
    }

    /// <summary>The service argument smbclient takes: <c>//host/share</c>.</summary>
    public string Service => $"//{Host}/{Share}";

    public override string ToString() => $"\\\\{Host}{(Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty)}\\{Share}{string.Concat(Folders.Select(f => "\\" + f))}";

    [GeneratedRegex(@"^\\\\(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252})(:(?<port>[0-9]{1,5}))?\\(?<share>[A-Za-z0-9$][A-Za-z0-9$._ -]{0,79})(\\(?<folder>[A-Za-z0-9._ -]{1,255}))*\\?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
