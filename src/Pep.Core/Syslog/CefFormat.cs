using System.Globalization;
using System.Text;

namespace Pep.Core.Syslog;

/// <summary>
/// The Common Event Format line of an event, in the original endpoint's header
/// (<c>CEF:0|Microsoft|Microsoft Azure Stack Hub|1.0|&lt;id&gt;|&lt;name&gt;|&lt;severity&gt;|&lt;extension&gt;</c>). CEF's
/// escaping: in the header a backslash and a pipe are escaped with a backslash; in the extension a backslash and an
/// equals sign are, and line breaks become <c>\n</c> and <c>\r</c>. A header has no line break, so one there becomes a
/// space: a value can never start a second syslog line or a field of its own.
/// </summary>
public static class CefFormat
{
    public const string Vendor = "Microsoft";
    public const string Product = "Microsoft Azure Stack Hub";
    public const string Version = "1.0";

    public static string Format(CefEvent cef)
    {
        ArgumentNullException.ThrowIfNull(cef);
        var line = new StringBuilder("CEF:0|");
        line.Append(Header(Vendor)).Append('|').Append(Header(Product)).Append('|').Append(Header(Version)).Append('|')
            .Append(cef.SignatureId.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(Header(cef.Name)).Append('|')
            .Append(Math.Clamp(cef.Severity, 0, 10).ToString(CultureInfo.InvariantCulture)).Append('|');
        bool first = true;
        foreach ((string key, string value) in cef.Extensions)
        {
            if (!first)
            {
                line.Append(' ');
            }

            line.Append(Key(key)).Append('=').Append(Extension(value));
            first = false;
        }

        return line.ToString();
    }

    /// <summary>A header field: <c>\</c> and <c>|</c> escaped, line breaks made spaces.</summary>
    public static string Header(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\' or '|':
                    escaped.Append('\\').Append(c);
                    break;
                case '\r' or '\n':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>An extension value: <c>\</c> and <c>=</c> escaped, line breaks as <c>\n</c> and <c>\r</c>, other control characters made spaces.</summary>
    public static string Extension(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\' or '=':
                    escaped.Append('\\').Append(c);
                    break;
                case '\n':
                    escaped.Append("\\n");
                    break;
                case '\r':
                    escaped.Append("\\r");
                    break;
                default:
                    escaped.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>Keys are the endpoint's own (never typed by a user); anything but letters and digits is refused.</summary>
    private static string Key(string key)
        => key.Length > 0 && key.All(char.IsAsciiLetterOrDigit) ? key : throw new ArgumentException($"'{key}' is not a CEF extension key.", nameof(key));
}
