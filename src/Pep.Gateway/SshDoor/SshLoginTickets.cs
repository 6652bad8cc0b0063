using System.Collections.Concurrent;
using Pep.Core.Platform;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// Logins sshd authenticated through the gateway, waiting for their session. sshd checks a password (PAM) or asks
/// for keys (AuthorizedKeysCommand) in the privileged process it runs for each connection (its "monitor"); the
/// session's relay runs later, below that same process. So a ticket is keyed by the monitor (pid and start time),
/// issued when the gateway accepted the password or gave the account's keys, and taken once, by the first session
/// socket connection whose process descends from that monitor. Nothing the relay sends names the user.
/// </summary>
internal sealed class SshLoginTickets(TimeProvider time)
{
    /// <summary>sshd's LoginGraceTime and a margin: a ticket older than this is never taken.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>relay → sh -c → sshd's session process → monitor; a little more in case the shell adds a step.</summary>
    private const int AncestorsSearched = 6;

    private readonly ConcurrentDictionary<int, SshLoginTicket> _tickets = new();

    /// <summary>
    /// Records a login for the sshd connection whose monitor is the parent of <paramref name="helperPid"/>; false when
    /// that process cannot be read (then nothing is issued).
    /// </summary>
    public bool Issue(int helperPid, string user, string clientAddress, bool byKey)
    {
        if (ProcessStat.Read(helperPid) is not { } helper || ProcessStat.Read(helper.Parent) is not { } monitor)
        {
            return false;
        }

        Forget();
        var ticket = new SshLoginTicket(user, clientAddress, monitor.StartTime, time.GetUtcNow(), byKey);
        // A password accepted after the keys were listed (or the reverse) is the same connection and the same user.
        _tickets[helper.Parent] = ticket;
        return true;
    }

    /// <summary>The login of the sshd connection <paramref name="sessionPid"/> runs under, taken (once); null when there is none.</summary>
    public SshLoginTicket? TakeFor(int sessionPid)
    {
        int pid = sessionPid;
        for (int step = 0; step < AncestorsSearched && ProcessStat.Read(pid) is { } process; step++)
        {
            if (_tickets.TryGetValue(process.Parent, out SshLoginTicket? ticket)
                && ProcessStat.Read(process.Parent) is { } monitor && monitor.StartTime == ticket.MonitorStartTime
                && _tickets.TryRemove(new KeyValuePair<int, SshLoginTicket>(process.Parent, ticket)))
            {
                return time.GetUtcNow() - ticket.IssuedUtc <= Lifetime ? ticket : null;
            }

            pid = process.Parent;
        }

        return null;
    }

    private void Forget()
    {
        DateTimeOffset oldest = time.GetUtcNow() - Lifetime;
        foreach (KeyValuePair<int, SshLoginTicket> entry in _tickets.Where(entry => entry.Value.IssuedUtc < oldest))
        {
            _tickets.TryRemove(entry);
        }
    }
}
