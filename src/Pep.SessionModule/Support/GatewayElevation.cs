using Pep.Core.Contracts;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// Tells the gateway that this session elevates, before it does: the gateway holds the grant's end (one elevation
/// per session, on its own clock) and ends the session and everything it started when it runs out. The one place a
/// host hands an elevation to its gateway: today a line on the signal channel (<see cref="HostSignals.Elevating"/>),
/// later a request on the session's broker socket.
/// </summary>
internal static class GatewayElevation
{
    /// <exception cref="SupportRecordException">The gateway could not be told: the session must not elevate.</exception>
    public static void Announce(Guid sessionId, SupportElevation elevation)
    {
        ArgumentNullException.ThrowIfNull(elevation);
        if (!HostSignalWriter.TrySend(HostSignals.Elevating(sessionId, elevation.Duration)))
        {
            throw new SupportRecordException("The endpoint's gateway could not be told about the elevation, so it could not end it: the session stays restricted.");
        }
    }
}
