namespace Pep.Core.Stamp.Settings;

/// <summary>
/// Which of the gateway's events are forwarded (Set-SyslogClient -OutputSeverity, names as the original's):
/// <see cref="Default"/> the security events (logins and their refusals, blocks, sessions, Close, elevations, account
/// changes, rotation); <see cref="Verbose"/> also every other event of the gateway at information level or above.
/// </summary>
public enum SyslogOutputSeverity
{
    Default,
    Verbose,
}
