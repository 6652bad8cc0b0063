using System.Globalization;
using Pep.Core.Contracts;

namespace Pep.ClientModule.Transport;

/// <summary>An endpoint instance as the operator names it: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>.</summary>
public sealed record EndpointAddress(string Host, int Port)
{
    public const int DefaultPort = WireProtocol.DefaultPort;

    public static EndpointAddress Parse(string text, int defaultPort)
    {
        string value = text.Trim();
        if (value.Length == 0)
        {
            throw new FormatException("A computer name is empty.");
        }

        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{text}' opens '[' without closing it.");
            }

            string host = value[1..close];
            string rest = value[(close + 1)..];
            return new EndpointAddress(host, rest.StartsWith(':') ? ParsePort(rest[1..], text) : defaultPort);
        }

        int colon = value.LastIndexOf(':');
        if (colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return new EndpointAddress(value[..colon], ParsePort(value[(colon + 1)..], text));
        }

        return new EndpointAddress(value, defaultPort);
    }

    public Uri SessionUri(string culture, string uiCulture)
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"wss://{host}:{Port}{WireProtocol.SessionPath}?{WireProtocol.CultureQuery}={Uri.EscapeDataString(culture)}&{WireProtocol.UICultureQuery}={Uri.EscapeDataString(uiCulture)}"));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    private static int ParsePort(string text, string whole)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"'{whole}' has no valid port after ':'.");
}
