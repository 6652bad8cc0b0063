using System.Globalization;
using System.Text;

namespace Pep.Core.Syslog;

/// <summary>
/// A syslog message (RFC 5424) carrying one CEF line, and its framing on a stream: octet counting (RFC 6587 and, for
/// TLS, RFC 5425: <c>LENGTH SP MESSAGE</c>), which no byte of the message can break. Over UDP the message is the
/// datagram.
/// </summary>
public static class SyslogFrame
{
    /// <summary>authpriv: security and authorization messages.</summary>
    public const int Facility = 10;

    public const string AppName = "PrivilegedEndpoint";

    /// <summary>Longest message forwarded; a longer one keeps its first bytes (a UDP datagram must stay small).</summary>
    public const int MaxMessageBytes = 4096;

    /// <summary>The RFC 5424 message: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME - MSGID - CEF:...</c>.</summary>
    public static string Message(DateTimeOffset time, string host, int syslogSeverity, int eventId, string cefLine)
    {
        ArgumentNullException.ThrowIfNull(host);
        int priority = (Facility * 8) + Math.Clamp(syslogSeverity, 0, 7);
        string hostName = host.Length == 0 ? "-" : string.Concat(host.Where(c => c is > ' ' and < (char)127).Take(255));
        string message = string.Create(CultureInfo.InvariantCulture,
            $"<{priority}>1 {time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {hostName} {AppName} - {eventId} - {cefLine}");
        return Truncate(message);
    }

    /// <summary>The message as its octet-counted frame.</summary>
    public static byte[] OctetCounted(string message)
    {
        byte[] body = Encoding.UTF8.GetBytes(message);
        byte[] prefix = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. body];
    }

    private static string Truncate(string message)
    {
        if (Encoding.UTF8.GetByteCount(message) <= MaxMessageBytes)
        {
            return message;
        }

        int length = Math.Min(message.Length, MaxMessageBytes);
        while (Encoding.UTF8.GetByteCount(message.AsSpan(0, length)) > MaxMessageBytes)
        {
            length--;
        }

        // Never cut a surrogate pair in two.
        if (length > 0 && char.IsHighSurrogate(message[length - 1]))
        {
            length--;
        }

        return message[..length];
    }
}
