namespace Pep.Core.Storage;

/// <summary>
/// Stamp settings every instance of a deployment shares (DNS forwarders, legal notice, syslog, support
/// authority registration, ...): a small key/value store. Values are opaque strings (JSON is a good choice
/// for structured settings). Each value carries a version that changes on every write, so a read-modify-write
/// can be made safe against other instances with <see cref="TrySet"/>.
/// Keys are 1 to 128 characters of letters, digits and <c>. _ - /</c>, starting with a letter or digit;
/// use a folder per feature, e.g. <c>dns/forwarders</c>.
/// </summary>
public interface ISettingsStore
{
    /// <summary>The setting, or null when it was never set (or was removed).</summary>
    SettingValue? Get(string key);

    /// <summary>Every setting whose key starts with <paramref name="prefix"/>, ordered by key.</summary>
    IReadOnlyDictionary<string, string> List(string prefix = "");

    /// <summary>Writes the value whatever was there (last writer wins).</summary>
    void Set(string key, string value);

    /// <summary>
    /// Writes the value only if the setting still has <paramref name="expectedVersion"/> (from <see cref="Get"/>);
    /// 0 means "only if it does not exist". False when another writer came first: read again and retry.
    /// </summary>
    bool TrySet(string key, string value, long expectedVersion);

    /// <summary>Removes the setting; false when there was none.</summary>
    bool Remove(string key);
}

/// <summary>A setting's value and its version (opaque: compare for equality only; never 0).</summary>
public sealed record SettingValue(string Value, long Version);
