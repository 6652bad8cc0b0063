using System.Text;

namespace Pep.Core.Storage;

/// <summary>Stamp settings on etcd, under <c>&lt;prefix&gt;settings/</c>; the version is the key's mod_revision.</summary>
public sealed class EtcdSettingsStore : ISettingsStore
{
    private readonly IVersionedKeyValue _kv;
    private readonly string _root;

    public EtcdSettingsStore(EtcdKeyValue connection, string prefix) : this((IVersionedKeyValue)connection, prefix) { }

    internal EtcdSettingsStore(IVersionedKeyValue kv, string prefix)
    {
        _kv = kv;
        _root = prefix + "settings/";
    }

    public SettingValue? Get(string key)
        => _kv.Get(_root + SettingKey.Check(key)) is { } found ? new SettingValue(Encoding.UTF8.GetString(found.Value), found.ModRevision) : null;

    public IReadOnlyDictionary<string, string> List(string prefix = "")
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, VersionedValue value) in _kv.GetPrefix(_root + SettingKey.CheckPrefix(prefix)))
        {
            result[key[_root.Length..]] = Encoding.UTF8.GetString(value.Value);
        }

        return result;
    }

    public void Set(string key, string value)
        => _kv.Commit([], [KeyWrite.Put(_root + SettingKey.Check(key), Encoding.UTF8.GetBytes(value))]);

    public bool TrySet(string key, string value, long expectedVersion)
    {
        string full = _root + SettingKey.Check(key);
        return _kv.Commit([new RevisionCondition(full, expectedVersion)], [KeyWrite.Put(full, Encoding.UTF8.GetBytes(value))]);
    }

    public bool Remove(string key)
    {
        string full = _root + SettingKey.Check(key);
        return OptimisticRetry.Run<bool>("removing a setting", () =>
        {
            if (_kv.Get(full) is not { } current)
            {
                return false;
            }

            return _kv.Commit([new RevisionCondition(full, current.ModRevision)], [KeyWrite.Delete(full)]) ? true : null;
        });
    }
}
