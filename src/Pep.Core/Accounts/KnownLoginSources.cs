using System.Collections.Concurrent;

namespace Pep.Core.Accounts;

/// <summary>
/// The sources (client addresses) that logged in to each account on this instance recently: they may still
/// try the account when its <see cref="AccountAttemptBudget"/> is spent, so a stranger who spends it does not
/// lock out the operators who use it (OWASP's "device cookie" idea, keyed by address here). Kept in memory,
/// bounded; after a restart a source is known again from its next successful login.
/// </summary>
public sealed class KnownLoginSources
{
    private readonly ConcurrentDictionary<(string User, string Source), DateTimeOffset> _lastSuccess = new();
    private readonly TimeSpan _remembered;
    private readonly int _capacity;

    public KnownLoginSources(TimeSpan remembered, int capacity = 10_000)
    {
        _remembered = remembered;
        _capacity = capacity;
    }

    public bool Contains(string user, string source, DateTimeOffset nowUtc)
        => _lastSuccess.TryGetValue((user, source), out DateTimeOffset last) && nowUtc - last < _remembered;

    public void Add(string user, string source, DateTimeOffset nowUtc)
    {
        if (_lastSuccess.Count >= _capacity)
        {
            // Successes are rare (each takes a right password), so a full table is pruned of its oldest half.
            foreach (KeyValuePair<(string, string), DateTimeOffset> old in _lastSuccess.OrderBy(pair => pair.Value).Take(_capacity / 2).ToList())
            {
                _lastSuccess.TryRemove(old.Key, out _);
            }
        }

        _lastSuccess[(user, source)] = nowUtc;
    }
}
