using System.Globalization;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Session;

/// <summary>
/// A session of the instance whose transcript a Close did not take: still open (a later Close takes it), or ended
/// but not sealed within the Close's wait. Its text form names it whole, because PowerShell remoting sends nested
/// objects to the client as their text.
/// </summary>
public sealed record UndeliveredSession(Guid SessionId, string User, string ClientAddress, DateTimeOffset StartedUtc, string State)
{
    public static UndeliveredSession From(UnsealedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new(session.SessionId, session.User, session.ClientAddress, session.StartedUtc, session.State);
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{SessionId} ({User} from {ClientAddress}, started {StartedUtc.UtcDateTime:yyyy'-'MM'-'dd HH':'mm':'ss}Z, {State})");
}
