using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pep.Gateway.Syslog;

/// <summary>
/// Hooks the forwarder into the gateway's log: every event the gateway logs (the audit catalogue of
/// <see cref="GatewayLog"/>) passes here, and those the catalogue selects are handed to the forwarder, which never
/// blocks the caller. No call in the gateway names syslog.
/// </summary>
[ProviderAlias("Syslog")]
internal sealed class SyslogLoggerProvider(SyslogForwarder forwarder) : ILoggerProvider
{
    /// <summary>The gateway's own categories only: ASP.NET Core's events are not the endpoint's security events.</summary>
    public ILogger CreateLogger(string categoryName)
        => categoryName.StartsWith("Pep.", StringComparison.Ordinal) ? new SyslogLogger(forwarder) : NullLogger.Instance;

    public void Dispose()
    {
    }
}
