using System.Globalization;
using Pep.Core.Identities;
using Pep.Core.Platform;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// Hands out the machine's session accounts (<see cref="ServiceAccounts"/>), one per session host, so that no two
/// running hosts ever share a uid, across every instance on the machine. A slot is leased by an exclusive lock on
/// its file in <see cref="ServiceAccounts.SlotLeaseDirectory"/> (an flock: a killed gateway never leaves it taken) and only while no
/// process runs as its account (a host a killed gateway left behind keeps its slot until it is gone).
/// </summary>
internal sealed class SessionAccountSlots : IDisposable
{
    private readonly ServiceAccounts _accounts;
    private readonly string _leaseDirectory;
    private readonly Dictionary<Guid, (PosixAccount Account, FileLock Lock)> _leases = [];

    public SessionAccountSlots(ServiceAccounts accounts, IReadOnlyList<int> supportGroupIds, string leaseDirectory = ServiceAccounts.SlotLeaseDirectory)
    {
        _accounts = accounts;
        SupportGroupIds = supportGroupIds;
        _leaseDirectory = leaseDirectory;
    }

    public ServiceAccounts Accounts => _accounts;

    /// <summary>The groups the deployment grants support sessions (<c>support.elevatedGroups</c>), given to every host.</summary>
    public IReadOnlyList<int> SupportGroupIds { get; }

    /// <summary>The session account of this session, leased now unless it already has one.</summary>
    /// <exception cref="InvalidOperationException">Every session account is in use.</exception>
    public PosixAccount Lease(Guid sessionId)
    {
        lock (_leases)
        {
            if (_leases.TryGetValue(sessionId, out var held))
            {
                return held.Account;
            }

            HashSet<int> running = RunningUserIds();
            // A random first slot spreads the gateways of a machine over the accounts; it needs no secrecy.
            int start = System.Security.Cryptography.RandomNumberGenerator.GetInt32(_accounts.SessionSlots.Count);
            for (int i = 0; i < _accounts.SessionSlots.Count; i++)
            {
                PosixAccount candidate = _accounts.SessionSlots[(start + i) % _accounts.SessionSlots.Count];
                if (running.Contains(candidate.Uid))
                {
                    continue;
                }

                string leaseFile = Path.Combine(_leaseDirectory, candidate.Uid.ToString(CultureInfo.InvariantCulture) + ".lock");
                FileLock? taken;
                try
                {
                    taken = FileLock.TryAcquire(leaseFile);
                }
                catch (UnauthorizedAccessException)
                {
                    // A lease file this gateway cannot open (left by a gateway that ran as root) is a slot it cannot take.
                    continue;
                }

                if (taken is not null)
                {
                    if (PosixOwnership.IsRoot)
                    {
                        // A gateway that kept root (an SSH door) leaves its lease files to the gateway's account, so
                        // that the gateways that dropped can take these slots after it.
                        PosixOwnership.Change(leaseFile, _accounts.Gateway.Uid, _accounts.Gateway.Gid);
                    }

                    _leases[sessionId] = (candidate, taken);
                    return candidate;
                }
            }

            throw new InvalidOperationException($"All {_accounts.SessionSlots.Count} session accounts of this machine are in use.");
        }
    }

    /// <summary>Gives the session's account back once its host has exited; nothing when it had none.</summary>
    public void Release(Guid sessionId)
    {
        lock (_leases)
        {
            if (_leases.Remove(sessionId, out var held))
            {
                held.Lock.Dispose();
            }
        }
    }

    /// <summary>The real user ids of every process on the machine (a process that ends while read is skipped).</summary>
    private static HashSet<int> RunningUserIds()
    {
        var uids = new HashSet<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(dir)[0]))
            {
                continue;
            }

            try
            {
                foreach (string line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    {
                        uids.Add(int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }

        return uids;
    }

    public void Dispose()
    {
        lock (_leases)
        {
            foreach (var held in _leases.Values)
            {
                held.Lock.Dispose();
            }

            _leases.Clear();
        }
    }
}
