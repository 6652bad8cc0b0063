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
    /// "Something went wrong in this host that an administrator must see" (support.log not written): the gateway
    /// logs the text at warning level with its own event id. One line: line breaks in <paramref name="message"/>
    /// become spaces.
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

    /// <summary>"This went wrong" (<see cref="HostProblem"/>): logged by the gateway with the kind's own event id. One line.</summary>
    public static string Problem(Guid sessionId, HostProblem kind, string message)
        => $"{ProblemPrefix(sessionId)}{kind} {message.ReplaceLineEndings(" ")}";

    /// <summary>True when <paramref name="line"/> is a <see cref="Problem"/> signal of this session; gives its kind and text.</summary>
    public static bool TryReadProblem(string line, Guid sessionId, out HostProblem kind, out string message)
    {
        ArgumentNullException.ThrowIfNull(line);
        string prefix = ProblemPrefix(sessionId);
        kind = default;
        message = "";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = line[prefix.Length..];
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !Enum.TryParse(rest[..space], ignoreCase: false, out kind) || !Enum.IsDefined(kind))
        {
            return false;
        }

        message = rest[(space + 1)..];
        return true;
    }

    private static string ProblemPrefix(Guid sessionId) => $"pep: problem {sessionId:N} ";

    /// <summary>
    /// "This session elevates now, for <paramref name="duration"/>": sent by Unlock-SupportSession after the response
    /// token was accepted and support.log written, before the session state is opened up. The gateway holds the
    /// grant's end: it accepts one elevation per session, bounds it (8 hours, the deployment's maximum) and, when it
    /// runs out on its own clock, kills the session's cgroup and seals the session as
    /// <see cref="SessionEndReason.SupportSessionEnded"/>. A host can only shorten its own life with it.
    /// </summary>
    public static string Elevating(Guid sessionId, TimeSpan duration)
        => $"{ElevatingPrefix(sessionId)}{(long)Math.Ceiling(duration.TotalSeconds)}";

    /// <summary>True when <paramref name="line"/> is an <see cref="Elevating"/> signal of this session; gives the seconds it asks for.</summary>
    public static bool TryReadElevating(string line, Guid sessionId, out long seconds)
    {
        ArgumentNullException.ThrowIfNull(line);
        string prefix = ElevatingPrefix(sessionId);
        seconds = 0;
        return line.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(line.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seconds);
    }

    private static string ElevatingPrefix(Guid sessionId) => $"pep: elevating {sessionId:N} seconds ";
}
