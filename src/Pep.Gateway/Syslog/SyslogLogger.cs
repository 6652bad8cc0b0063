using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Pep.Core.Syslog;

namespace Pep.Gateway.Syslog;

/// <summary>
/// One category's logger for <see cref="SyslogLoggerProvider"/>: turns a selected event's structured fields into CEF
/// extension fields (<c>suser</c>, <c>src</c>, the session id, the request, its outcome and reason, the message) and
/// hands the event to the forwarder. Never throws and never waits: logging must not slow a session.
/// </summary>
internal sealed class SyslogLogger(SyslogForwarder forwarder) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && forwarder.IsForwarding;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        IReadOnlyList<KeyValuePair<string, object?>> fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        string? request = Field(fields, "Request");
        if (!SyslogEventCatalogue.TrySelect(eventId, logLevel, request, forwarder.IsVerbose, out string name, out int severity))
        {
            return;
        }

        DateTimeOffset now = forwarder.Now;
        var extensions = new List<KeyValuePair<string, string>>
        {
            new("rt", now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new("dvchost", forwarder.InstanceName),
        };
        Add(extensions, "suser", Field(fields, "User") ?? Field(fields, "UserText"));
        Add(extensions, "src", Field(fields, "Client") ?? Field(fields, "Source"));
        if (Field(fields, "SessionId") is { } session)
        {
            extensions.Add(new("cs1Label", "SessionId"));
            extensions.Add(new("cs1", session));
        }

        Add(extensions, "act", request);
        Add(extensions, "outcome", Field(fields, "Outcome"));
        Add(extensions, "reason", Field(fields, "Reason"));
        extensions.Add(new("msg", formatter(state, null)));
        forwarder.Post(new CefEvent(eventId.Id, name, severity, extensions), SyslogSeverity(logLevel));
    }

    private static int SyslogSeverity(LogLevel level) => level switch
    {
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        _ => 2,
    };

    private static void Add(List<KeyValuePair<string, string>> extensions, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            extensions.Add(new(key, value));
        }
    }

    private static string? Field(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        foreach ((string key, object? value) in fields)
        {
            if (key == name)
            {
                return value switch
                {
                    null => null,
                    IPAddress address => address.ToString(),
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
            }
        }

        return null;
    }
}
