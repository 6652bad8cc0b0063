using System.Net;

namespace Pep.Gateway;

/// <summary>
/// Every way the gateway refuses a connection before a session exists. The client module reads the name
/// from the <c>X-Pep-Error</c> response header and turns it into an error record; the text goes in
/// <c>X-Pep-Message</c>. Names are part of the protocol: do not rename them.
/// </summary>
public enum GatewayFailure
{
    /// <summary>401: unknown user or wrong password (one answer for both, on purpose).</summary>
    InvalidCredential,
    /// <summary>400: not a WebSocket upgrade, or a malformed Authorization header or culture.</summary>
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
}

internal static class GatewayFailureExtensions
{
    public const string ErrorHeader = "X-Pep-Error";
    public const string MessageHeader = "X-Pep-Message";

    public static HttpStatusCode StatusCode(this GatewayFailure failure) => failure switch
    {
        GatewayFailure.InvalidCredential => HttpStatusCode.Unauthorized,
        GatewayFailure.BadRequest => HttpStatusCode.BadRequest,
        GatewayFailure.SessionHostFailed => HttpStatusCode.InternalServerError,
        GatewayFailure.SourceBlocked => HttpStatusCode.TooManyRequests,
        _ => HttpStatusCode.ServiceUnavailable,
    };
}
