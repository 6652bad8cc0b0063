using System.Text.RegularExpressions;

namespace Pep.Core.Storage;

/// <summary>Checks setting keys: they become etcd keys and SQLite values, so only a plain alphabet is allowed.</summary>
public static partial class SettingKey
{
    public static string Check(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Pattern().IsMatch(key) || key.Contains("//", StringComparison.Ordinal) || key.EndsWith('/'))
        {
            throw new ArgumentException("A setting key has 1 to 128 letters, digits, '.', '_', '-' or '/', starts with a letter or digit and has no empty segment.", nameof(key));
        }

        return key;
    }

    /// <summary>Checks a listing prefix: empty, or a key-like text that may end with '/'.</summary>
    public static string CheckPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && !Pattern().IsMatch(prefix.TrimEnd('/')))
        {
            throw new ArgumentException("A setting prefix is empty or the start of a setting key.", nameof(prefix));
        }

        return prefix;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
