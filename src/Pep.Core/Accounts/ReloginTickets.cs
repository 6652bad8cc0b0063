using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// Re-login tickets (issue 15): after a login that proved its password, the HTTPS door hands the client 32 random bytes;
/// the client's next login of the same account to the same instance sends them with the password, and when everything
/// fits, a constant-time HMAC check stands in for the PBKDF2 verification (265-360 ms of CPU here). At least as strong as
/// the verifier: the store still holds only PBKDF2 verifiers; this memory holds no ticket and no password, only
/// SHA-256(ticket) as the key and HMAC-SHA256(ticket, password), which tests no password without the ticket's 256 bits;
/// without a ticket every guess costs a full verification and counts against the account's budget as before; a ticket
/// is spent by any use, right or wrong, so it gives one try. Bound to the account, the client's address and the account's
/// record as it was at issue (any change of password, lock, keys or removal signs a new record). Short-lived, single
/// use, bounded in number (oldest dropped), in this process's memory only: a restart or another instance knows none.
/// </summary>
public sealed class ReloginTickets
{
    public const int TicketBytes = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReloginTicket> _byDigest = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _maxPerAccount;
    private readonly int _maxTotal;

    /// <param name="lifetime">How long a ticket may be used after its issue, on the monotonic clock; zero turns tickets off.</param>
    /// <param name="time">The clock of expiry (its monotonic timestamps: a wall clock set back lengthens no ticket).</param>
    /// <param name="maxPerAccount">Tickets kept per account (one per console that logs in again); past it the account's oldest is dropped.</param>
    /// <param name="maxTotal">Tickets kept in all; past it the oldest is dropped.</param>
    public ReloginTickets(TimeSpan lifetime, TimeProvider time, int maxPerAccount = 4, int maxTotal = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lifetime.Ticks, nameof(lifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerAccount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTotal, 1);
        Lifetime = lifetime;
        _time = time;
        _maxPerAccount = maxPerAccount;
        _maxTotal = maxTotal;
    }

    public TimeSpan Lifetime { get; }

    public bool Enabled => Lifetime > TimeSpan.Zero;

    /// <summary>Tickets kept now (expired ones included until the next issue prunes them).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byDigest.Count;
            }
        }
    }

    /// <summary>
    /// A new ticket for a login of <paramref name="record"/>'s account from <paramref name="clientAddress"/> that has just
    /// proved <paramref name="password"/>. The caller hands the bytes to the client and keeps nothing of them.
    /// </summary>
    public byte[] Issue(AccountRecord record, string clientAddress, ReadOnlySpan<char> password)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Enabled)
        {
            throw new InvalidOperationException("Re-login tickets are off (their lifetime is zero).");
        }

        byte[] ticket = RandomNumberGenerator.GetBytes(TicketBytes);
        var kept = new ReloginTicket(record.User, clientAddress, RecordDigest(record), PasswordCheck(ticket, password), _time.GetTimestamp());
        lock (_gate)
        {
            foreach (string expired in _byDigest.Where(pair => IsExpired(pair.Value)).Select(pair => pair.Key).ToList())
            {
                _byDigest.Remove(expired);
            }

            DropOldest(_byDigest.Where(pair => pair.Value.User == record.User), _maxPerAccount - 1);
            DropOldest(_byDigest, _maxTotal - 1);
            _byDigest[Digest(ticket)] = kept;
        }

        return ticket;
    }

    /// <summary>
    /// Spends <paramref name="presented"/> whatever comes of it, and says whether it stands in for the password verifier:
    /// <see cref="ReloginTicketOutcome.Accepted"/> only for a ticket this object issued within its lifetime to a login of
    /// <paramref name="user"/> from <paramref name="clientAddress"/>, while the account's record was <paramref name="current"/>
    /// (null: no such account), and whose password was <paramref name="password"/>. The password is looked at only when all
    /// the rest holds; null means the account may not log in now (<see cref="ReloginTicketOutcome.AccountRefused"/>).
    /// </summary>
    public ReloginTicketOutcome Redeem(ReadOnlySpan<byte> presented, string? user, string clientAddress, AccountRecord? current, string? password)
    {
        ReloginTicket? ticket;
        string key = Digest(presented);
        lock (_gate)
        {
            _byDigest.Remove(key, out ticket);
        }

        if (ticket is null || presented.Length != TicketBytes)
        {
            return ReloginTicketOutcome.Unknown;
        }

        if (IsExpired(ticket))
        {
            return ReloginTicketOutcome.Expired;
        }

        if (!string.Equals(ticket.User, user, StringComparison.Ordinal))
        {
            return ReloginTicketOutcome.OtherAccount;
        }

        if (!string.Equals(ticket.ClientAddress, clientAddress, StringComparison.Ordinal))
        {
            return ReloginTicketOutcome.OtherSource;
        }

        if (current is null || !CryptographicOperations.FixedTimeEquals(ticket.RecordDigest, RecordDigest(current)))
        {
            return ReloginTicketOutcome.AccountChanged;
        }

        if (password is null)
        {
            return ReloginTicketOutcome.AccountRefused;
        }

        return CryptographicOperations.FixedTimeEquals(ticket.PasswordCheck, PasswordCheck(presented, password))
            ? ReloginTicketOutcome.Accepted
            : ReloginTicketOutcome.WrongPassword;
    }

    private bool IsExpired(ReloginTicket ticket) => _time.GetElapsedTime(ticket.IssuedTimestamp) >= Lifetime;

    /// <summary>Removes the oldest of <paramref name="tickets"/> until at most <paramref name="keep"/> remain.</summary>
    private void DropOldest(IEnumerable<KeyValuePair<string, ReloginTicket>> tickets, int keep)
    {
        List<string> oldestFirst = [.. tickets.OrderBy(pair => pair.Value.IssuedTimestamp).Select(pair => pair.Key)];
        foreach (string key in oldestFirst.Take(oldestFirst.Count - keep))
        {
            _byDigest.Remove(key);
        }
    }

    /// <summary>The lookup key: SHA-256 of the ticket, so that the table names no ticket.</summary>
    private static string Digest(ReadOnlySpan<byte> ticket) => Convert.ToHexString(SHA256.HashData(ticket));

    /// <summary>The record as the stamp key signed it: any change of the account signs other bytes (and a new version).</summary>
    private static byte[] RecordDigest(AccountRecord record) => SHA256.HashData(record.SignedBytes());

    private static byte[] PasswordCheck(ReadOnlySpan<byte> ticket, ReadOnlySpan<char> password)
    {
        byte[] utf8 = new byte[Encoding.UTF8.GetByteCount(password)];
        try
        {
            Encoding.UTF8.GetBytes(password, utf8);
            return HMACSHA256.HashData(ticket, utf8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }
}
