namespace Pep.Core.Contracts;

/// <summary>
/// Lines a session host writes on its standard error, the diagnostic stream its gateway reads, to ask the
/// gateway for what only the gateway can do, or to have something logged. The host's Console.Error goes
/// nowhere (PowerShell's server mode discards that stream): these lines are its only way to the gateway's log.
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

    /// <summary>
    /// "Something went wrong in this host that an administrator must see" (support.log not written, a lock-back
    /// that failed): the gateway logs the text at warning level with its own event id. One line: line breaks in
    /// <paramref name="message"/> become spaces.
    /// </summary>
    public static string Diagnostic(Guid sessionId, string message)
        => DiagnosticPrefix(sessionId) + message.ReplaceLineEndings(" ");

    /// <summary>True when <paramref name="line"/> is a <see cref="Diagnostic"/> signal of this session; gives its text.</summary>
    public static bool TryReadDiagnostic(string line, Guid sessionId, out string message)
    {
        ArgumentNullException.ThrowIfNull(line);
        string prefix = DiagnosticPrefix(sessionId);
        message = line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : "";
        return line.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string DiagnosticPrefix(Guid sessionId) => $"pep: diagnostic {sessionId:N} ";
}
