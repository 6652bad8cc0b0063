namespace Pep.Core.Contracts;

/// <summary>
/// What went wrong in a session host, as it tells its gateway (<see cref="HostSignals.Problem"/>): each kind has an
/// event id of its own in the gateway's log, so that an administrator can alert on it.
/// </summary>
public enum HostProblem
{
    /// <summary>support.log could not be written: the break-the-glass step it was to record was refused.</summary>
    SupportLogNotWritten,

    /// <summary>endpoint-streams.log could not be written: the command was refused, or the session ended.</summary>
    StreamLogNotWritten,

    /// <summary>A command was tried after Close-PrivilegedEndpoint had sealed the session, and refused.</summary>
    CommandAfterClose,
}
