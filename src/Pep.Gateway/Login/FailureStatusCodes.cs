using System.Net;
using Pep.Core.Contracts;

namespace Pep.Gateway.Login;

/// <summary>The HTTP status of each refusal the gateway sends (<see cref="FailureKind"/>).</summary>
internal static class FailureStatusCodes
{
    public static HttpStatusCode StatusCode(this FailureKind failure) => failure switch
    {
        FailureKind.InvalidCredential => HttpStatusCode.Unauthorized,
        FailureKind.BadRequest => HttpStatusCode.BadRequest,
        FailureKind.SessionHostFailed => HttpStatusCode.InternalServerError,
        FailureKind.SourceBlocked => HttpStatusCode.TooManyRequests,
        _ => HttpStatusCode.ServiceUnavailable,
    };
}
