using Microsoft.Extensions.Logging;

namespace Pep.Gateway.Syslog;

/// <summary>
/// Which of the gateway's events (<see cref="GatewayLog"/>, by event id) are security events, forwarded with every
/// output severity, and their CEF severity (0 to 10, as the original: 10 for what changes who can do what). Their CEF
/// name is the event's own name (the <see cref="GatewayLog"/> method), so the SIEM sees the same catalogue as the log.
/// </summary>
internal static class SyslogEventCatalogue
{
    /// <summary>1411, a broker request's outcome: forwarded for the requests that change something, named after their cmdlet.</summary>
    public const int BrokerOutcome = 1411;

    /// <summary>The forwarder's own events (1900-1919) are never forwarded: a failing server would feed itself.</summary>
    public const int OwnFirst = 1900;

    public const int OwnLast = 1919;

    private static readonly Dictionary<int, int> SecuritySeverities = new()
    {
        [1100] = 5,  // login succeeded
        [1101] = 7,  // login refused
        [1103] = 9,  // record not signed by the stamp key
        [1105] = 7,  // account store unavailable at login
        [1106] = 7,  // refusals before login, per source
        [1107] = 9,  // replayed record
        [1108] = 7,  // locked by an administrator
        [1109] = 7,  // the account's budget of failed logins is spent
        [1110] = 8,  // source blocked
        [1200] = 5,  // session started
        [1201] = 5,  // session ended
        [1209] = 5,  // Close-PrivilegedEndpoint finished
        [1301] = 5,  // transcript sealed and delivered by Close
        [1320] = 5,  // the instance's ledger head (at every seal and Close): anchored outside the instance
        [1375] = 5,  // a login accepted with a re-login ticket (PBKDF2 not run)
        [1376] = 7,  // a re-login ticket refused (expired, other source, account changed, wrong password, unknown)
        [1400] = 8,  // TLS certificate changed (rotation)
        [1401] = 8,  // TLS certificate change failed
        [1412] = 8,  // broker: a peer that is not the session's host
        [1505] = 5,  // key login over the SSH door
        [1610] = 10, // support session unlocked (elevation started)
        [1611] = 8,  // a further elevation refused
        [1612] = 5,  // the support grant ran out
        [1630] = 7,  // support.log not written
        [1631] = 7,  // endpoint-streams.log not written
        [1632] = 5,  // a command after Close refused
        [1940] = 8,  // a CloudAdmin password recovery token issued
        [1941] = 10, // a password recovery completed: an account's password set by the support authority's answer
        [1942] = 8,  // a password recovery response refused
        [1944] = 8,  // a support session token requested (break the glass, first step)
    };

    /// <summary>Broker requests that change something, by their cmdlet (the first word of their description), with their CEF severity.</summary>
    private static readonly Dictionary<string, int> ChangeSeverities = new(StringComparer.Ordinal)
    {
        ["New-CloudAdminUser"] = 10,
        ["Remove-CloudAdminUser"] = 10,
        ["Set-CloudAdminUserPassword"] = 10,
        ["Start-SecretRotation"] = 10,
        ["Set-SyslogServer"] = 8,
        ["Set-SyslogClient"] = 8,
        ["Set-AzSLegalNotice"] = 5,
        ["Set-AzsDnsForwarder"] = 5,
        ["Close-PrivilegedEndpoint"] = 5,
    };

    /// <summary>
    /// The CEF name and severity of an event to forward, or false to leave it: security events always, other events of
    /// information level or above only when <paramref name="verbose"/>.
    /// </summary>
    public static bool TrySelect(EventId id, LogLevel level, string? request, bool verbose, out string name, out int severity)
    {
        name = string.IsNullOrEmpty(id.Name) ? "Event" + id.Id : id.Name;
        severity = 0;
        if (id.Id is >= OwnFirst and <= OwnLast || level < LogLevel.Information)
        {
            return false;
        }

        if (id.Id == BrokerOutcome && request is not null && Cmdlet(request) is { } cmdlet && ChangeSeverities.TryGetValue(cmdlet, out int change)
            && !request.Contains("(check only)", StringComparison.Ordinal) && !request.Contains("(plan only)", StringComparison.Ordinal))
        {
            name = cmdlet;
            severity = change;
            return true;
        }

        if (SecuritySeverities.TryGetValue(id.Id, out int security))
        {
            severity = security;
            return true;
        }

        severity = level switch
        {
            LogLevel.Information => 3,
            LogLevel.Warning => 6,
            LogLevel.Error => 8,
            _ => 10,
        };
        return verbose && id.Id > 0;
    }

    private static string? Cmdlet(string request)
    {
        int space = request.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? request : request[..space];
    }
}
