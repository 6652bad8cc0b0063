using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

/// <summary>
/// etcd's revision semantics in memory: one revision counter for the whole store, a key's mod_revision is the
/// revision of its last write, a missing key compares as revision 0. <see cref="BeforeCommit"/> lets a test
/// slip another instance's write in between a store's read and its commit.
/// </summary>
internal sealed class InMemoryVersionedKeyValue : IVersionedKeyValue
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, VersionedValue> _data = new(StringComparer.Ordinal);
    private long _revision;

    /// <summary>Runs (outside the lock) before each commit; set it back to null to stop interfering.</summary>
    public Action? BeforeCommit { get; set; }

    /// <summary>When set, the next commit is applied but reported as lost (the caller sees an exception).</summary>
    public bool LoseNextAnswer { get; set; }

    public int Commits { get; private set; }

    public VersionedValue? Get(string key)
    {
        lock (_lock)
        {
            return _data.TryGetValue(key, out VersionedValue? value) ? value : null;
        }
    }

    public IReadOnlyList<KeyValuePair<string, VersionedValue>> GetPrefix(string prefix)
    {
        lock (_lock)
        {
            return _data.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
    }

    public bool Commit(IReadOnlyList<RevisionCondition> conditions, IReadOnlyList<KeyWrite> writes)
    {
        BeforeCommit?.Invoke();
        bool succeeded;
        lock (_lock)
        {
            Commits++;
            succeeded = conditions.All(c => (_data.TryGetValue(c.Key, out VersionedValue? v) ? v.ModRevision : 0) == c.ModRevision);
            if (succeeded)
            {
                _revision++;
                foreach (KeyWrite write in writes)
                {
                    if (write.Value is { } value)
                    {
                        _data[write.Key] = new VersionedValue(value, _revision);
                    }
                    else
                    {
                        _data.Remove(write.Key);
                    }
                }
            }
        }

        if (LoseNextAnswer)
        {
            LoseNextAnswer = false;
            throw new LostAnswerException();
        }

        return succeeded;
    }

    /// <summary>Stands for a transaction whose answer never arrived although etcd applied it.</summary>
    internal sealed class LostAnswerException : Exception;
}
