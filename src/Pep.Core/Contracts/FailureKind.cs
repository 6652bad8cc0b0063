namespace Pep.Core.Contracts;

/// <summary>
/// Why a connection failed. The gateway's refusals (<see cref="InvalidCredential"/> to
/// <see cref="SourceBlocked"/>) travel by name in the <see cref="WireProtocol.ErrorHeader"/> response
/// header; the client module adds its own (from <see cref="Refused"/> on) for what it sees itself. The names
/// are part of the protocol and of the client's error ids (<c>ConnectFailed.&lt;name&gt;</c>): do not rename them.
/// </summary>
public enum FailureKind
{
    /// <summary>401: unknown user or wrong password (one answer for both, on purpose).</summary>
    InvalidCredential,
    /// <summary>400: not a WebSocket upgrade, or a malformed Authorization header, culture or UI culture.</summary>
    BadRequest,
    /// <summary>503: the instance has as many sessions as it may hold.</summary>
    TooManySessions,
    /// <summary>503: too many logins are being verified; try again.</summary>
    Busy,
    /// <summary>503: transcripts cannot be written, so no session may start (sessions are never unrecorded).</summary>
    TranscriptionUnavailable,
    /// <summary>503: the account store cannot be read.</summary>
    AccountStoreUnavailable,
    /// <summary>500: the session host did not start.</summary>
    SessionHostFailed,
    /// <summary>429: this source failed too many logins and is refused until the time in Retry-After.</summary>
    SourceBlocked,

    /// <summary>Client: the gateway refused with no name it knows.</summary>
    Refused,
    /// <summary>Client: the endpoint's certificate is not trusted (pinned thumbprint, CA or system store).</summary>
    UntrustedCertificate,
    /// <summary>Client: the instance could not be reached.</summary>
    Unreachable,
    /// <summary>Client: no answer in time (connect, login or session start).</summary>
    Timeout,
    /// <summary>Client: the operator cancelled (Ctrl+C).</summary>
    Cancelled,
    /// <summary>Client: the connection broke during the session.</summary>
    ConnectionLost,
    /// <summary>Client: the endpoint ended the session (its close frame says why).</summary>
    SessionEnded,
    /// <summary>Client: the endpoint sent a message the client does not accept.</summary>
    ProtocolViolation,
    /// <summary>Client: every instance given failed.</summary>
    NoInstanceReachable,
    /// <summary>Client: a failure with no more specific kind.</summary>
    Unknown,
}
