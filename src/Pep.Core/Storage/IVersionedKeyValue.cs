namespace Pep.Core.Storage;

/// <summary>
/// The few operations of etcd's KV API the shared stores need: reads that return each key's modification
/// revision, and a transaction that applies its writes only if every key is still at the revision the caller
/// saw. Kept this small so that the stores' transaction logic can be tested against an in-memory double.
/// </summary>
internal interface IVersionedKeyValue
{
    VersionedValue? Get(string key);

    /// <summary>Every key starting with <paramref name="prefix"/>, ordered by key.</summary>
    IReadOnlyList<KeyValuePair<string, VersionedValue>> GetPrefix(string prefix);

    /// <summary>
    /// Atomically: if every condition holds, applies every write and returns true; otherwise changes nothing
    /// and returns false.
    /// </summary>
    bool Commit(IReadOnlyList<RevisionCondition> conditions, IReadOnlyList<KeyWrite> writes);
}

/// <summary>A stored value and the revision that last modified it (etcd's mod_revision, never 0).</summary>
internal sealed record VersionedValue(byte[] Value, long ModRevision);

/// <summary>The key was last modified at <paramref name="ModRevision"/>; 0 means the key does not exist.</summary>
internal sealed record RevisionCondition(string Key, long ModRevision);

/// <summary>A put (value given) or a delete (value null).</summary>
internal sealed record KeyWrite(string Key, byte[]? Value)
{
    public static KeyWrite Put(string key, byte[] value) => new(key, value);

    public static KeyWrite Delete(string key) => new(key, null);
}
