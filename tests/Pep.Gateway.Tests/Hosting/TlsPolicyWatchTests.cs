using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Gateway.Hosting;

namespace Pep.Gateway.Tests.Hosting;

[SuppressMessage("Security", "CA5398", Justification = "The versions are what is tested.")]
public sealed class TlsPolicyWatchTests
{
    [Fact]
    public void BeforeTheFirstRead_OnlyTls13IsAccepted_AndAPolicyNeverSetIsTls12And13()
    {
        using var watch = new TlsPolicyWatch(new SwitchableStore());

        Assert.Equal(SslProtocols.Tls13, watch.Protocols);
        watch.Refresh();
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, watch.Protocols);
    }

    [Fact]
    public void APolicySetElsewhere_IsAppliedAtTheNextRefresh()
    {
        var store = new SwitchableStore();
        using var watch = new TlsPolicyWatch(store);
        watch.Refresh();

        TlsPolicy.Write(store, TlsPolicy.Tls13);
        watch.Refresh();

        Assert.Equal(SslProtocols.Tls13, watch.Protocols);
    }

    [Fact]
    public void AnUnreachableStore_KeepsTheLastPolicyRead()
    {
        var store = new SwitchableStore();
        TlsPolicy.Write(store, TlsPolicy.Tls13);
        using var watch = new TlsPolicyWatch(store);
        watch.Refresh();

        store.Reachable = false;
        watch.Refresh();

        Assert.Equal(SslProtocols.Tls13, watch.Protocols);
    }

    [Fact]
    public void AValueThisEndpointDoesNotKnow_FailsClosedToTls13Only()
    {
        var store = new SwitchableStore();
        using var watch = new TlsPolicyWatch(store);
        watch.Refresh();

        store.Set(TlsPolicy.SettingKey, "TLS_1.0");
        watch.Refresh();

        Assert.Equal(SslProtocols.Tls13, watch.Protocols);
    }

    /// <summary>A settings store in memory that can be made unreachable.</summary>
    private sealed class SwitchableStore : ISettingsStore
    {
        private readonly Dictionary<string, SettingValue> _values = [];

        public bool Reachable { get; set; } = true;

        public SettingValue? Get(string key) => Check() && _values.TryGetValue(key, out SettingValue? value) ? value : null;

        public IReadOnlyDictionary<string, string> List(string prefix = "")
            => Check() ? _values.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(v => v.Key, v => v.Value.Value) : [];

        public void Set(string key, string value)
        {
            Check();
            _values[key] = new SettingValue(value, (_values.GetValueOrDefault(key)?.Version ?? 0) + 1);
        }

        public bool TrySet(string key, string value, long expectedVersion)
        {
            Check();
            if ((_values.GetValueOrDefault(key)?.Version ?? 0) != expectedVersion)
            {
                return false;
            }

            Set(key, value);
            return true;
        }

        public bool Remove(string key) => Check() && _values.Remove(key);

        private bool Check() => Reachable ? true : throw new StoreUnavailableException("etcd is not answering");
    }
}
