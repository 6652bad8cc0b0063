namespace Pep.Core.Contracts;

/// <summary>Why a session ended; recorded by name with its transcript (the ledger's <c>endReason</c>).</summary>
public enum SessionEndReason
{
    /// <summary>The client closed the runspace, or Exit-PSSession/Close-PrivilegedEndpoint ended it.</summary>
    Closed,
    /// <summary>The client's connection went away without a close.</summary>
    ClientGone,
    /// <summary>The session host exited on its own (crash, kill).</summary>
    HostExited,
    /// <summary>No traffic for longer than the idle limit.</summary>
    IdleTimeout,
    /// <summary>The client did not finish its handshake in time.</summary>
    HandshakeTimeout,
    /// <summary>The client sent a message over the size limit, or one that is not a PSRP line.</summary>
    ProtocolViolation,
    /// <summary>The gateway is shutting down.</summary>
    GatewayStopping,
    /// <summary>The gateway failed while relaying the session (its log has the exception); the transcript is sealed all the same.</summary>
    RelayFailed,
    /// <summary>A previous gateway process was killed (or the machine went down) with the session open; its next start sealed it.</summary>
    GatewayRestart,
    /// <summary>
    /// A support elevation's grant ran out on the gateway's clock: the gateway killed the session host and everything
    /// it started (its cgroup), so no code from the elevated period runs afterwards. A new session is restricted.
    /// </summary>
    SupportSessionEnded,
}
