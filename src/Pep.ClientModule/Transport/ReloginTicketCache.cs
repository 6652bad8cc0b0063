using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pep.ClientModule.Transport;

/// <summary>
/// The re-login tickets this pwsh process holds (<see cref="Pep.Core.Contracts.ReloginTicketHeaders"/>): the last one
/// each (instance address, user name) got, in memory only, never written, shown or logged. A login takes its ticket out
/// (a ticket is good for one login, whatever its outcome) and puts back only the one the gateway answered, so a refused
/// login leaves none, and two logins at once never send the same ticket.
/// </summary>
internal static class ReloginTicketCache
{
    /// <summary>Instances × accounts one console logs in to; past it nothing more is kept (those logins just verify the password).</summary>
    private const int Capacity = 64;

    private static readonly ConcurrentDictionary<(string Address, string User), byte[]> Tickets = new();

    /// <summary>The ticket for the next login of <paramref name="user"/> to <paramref name="address"/>, taken out; null when there is none.</summary>
    public static byte[]? Take(EndpointAddress address, string user)
        => Tickets.TryRemove(Key(address, user), out byte[]? ticket) ? ticket : null;

    /// <summary>Keeps the ticket a login got, in place of any earlier one.</summary>
    public static void Keep(EndpointAddress address, string user, byte[] ticket)
    {
        (string, string) key = Key(address, user);
        if (Tickets.Count >= Capacity && !Tickets.ContainsKey(key))
        {
            CryptographicOperations.ZeroMemory(ticket);
            return;
        }

        if (Tickets.TryRemove(key, out byte[]? earlier))
        {
            CryptographicOperations.ZeroMemory(earlier);
        }

        Tickets[key] = ticket;
    }

    /// <summary>Forgets every ticket (tests).</summary>
    public static void Clear() => Tickets.Clear();

    private static (string, string) Key(EndpointAddress address, string user)
        => (address.ToString().ToLowerInvariant(), user.ToLowerInvariant());
}
