namespace Pep.Core.Sessions;

/// <summary>
/// Lines a session host writes on its standard error, the diagnostic stream its gateway reads, to ask the
/// gateway for what only the gateway can do.
/// </summary>
public static class HostSignals
{
    /// <summary>
    /// "Close-PrivilegedEndpoint has finished: end this session." The gateway answers with the Close packet of
    /// PowerShell's out-of-process transport for the session, as a client's Remove-PSSession sends it: PowerShell's
    /// server closes its runspace pool and says so to the client, whose PSSession goes to Closed, with no error.
    /// Asking can only end the asking session, so a host that sent it by mistake loses only itself.
    /// </summary>
    public static string CloseRequest(Guid sessionId) => $"pep: close session {sessionId:N}";

    /// <summary>
    /// "The endpoint module is loaded in this session's runspace": the costly part of a host's start (runtime,
    /// PowerShell, session configuration, module) is over. The gateway starts a bounded number of hosts at once
    /// and lets the next one start on this line (or when the session ends), so that a burst of logins is served
    /// in order instead of all at once at the speed of the slowest.
    /// </summary>
    public static string Ready(Guid sessionId) => $"pep: session ready {sessionId:N}";
}
