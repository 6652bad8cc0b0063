using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

/// <summary>What every settings store must do, run against each implementation.</summary>
public abstract class SettingsStoreContract
{
    /// <summary>Two stores over the same, empty, backing data.</summary>
    protected abstract (ISettingsStore First, ISettingsStore Second) CreateStores();

    [Fact]
    public void Set_IsSeenByTheOtherStore_WithAVersion()
    {
        (ISettingsStore first, ISettingsStore second) = CreateStores();
        first.Set("dns/forwarders", "[\"10.0.0.53\"]");

        SettingValue value = second.Get("dns/forwarders")!;
        Assert.Equal("[\"10.0.0.53\"]", value.Value);
        Assert.NotEqual(0, value.Version);
        Assert.Null(second.Get("dns/other"));
    }

    [Fact]
    public void Set_ChangesTheVersion()
    {
        (ISettingsStore first, _) = CreateStores();
        first.Set("legal/caption", "one");
        long before = first.Get("legal/caption")!.Version;
        first.Set("legal/caption", "two");
        Assert.NotEqual(before, first.Get("legal/caption")!.Version);
    }

    [Fact]
    public void TrySet_WinsOnlyAgainstTheVersionItRead()
    {
        (ISettingsStore first, ISettingsStore second) = CreateStores();
        Assert.True(first.TrySet("syslog/server", "a", 0));
        Assert.False(second.TrySet("syslog/server", "b", 0));

        long version = first.Get("syslog/server")!.Version;
        Assert.True(second.TrySet("syslog/server", "c", version));
        Assert.False(first.TrySet("syslog/server", "d", version));
        Assert.Equal("c", first.Get("syslog/server")!.Value);
    }

    [Fact]
    public void List_ReturnsTheSettingsUnderAPrefix()
    {
        (ISettingsStore first, ISettingsStore second) = CreateStores();
        first.Set("dns/forwarders", "1");
        first.Set("dns/zone_x", "2");
        first.Set("dnsx", "3");
        first.Set("legal/text", "4");

        Assert.Equal(["dns/forwarders", "dns/zone_x"], second.List("dns/").Keys);
        Assert.Equal(4, second.List().Count);
    }

    [Fact]
    public void Remove_SaysWhetherThereWasASetting()
    {
        (ISettingsStore first, ISettingsStore second) = CreateStores();
        first.Set("support/authority", "x");
        Assert.True(second.Remove("support/authority"));
        Assert.False(first.Remove("support/authority"));
        Assert.Null(first.Get("support/authority"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a b")]
    [InlineData("../x")]
    public void MalformedKeys_AreRefused(string key)
    {
        (ISettingsStore first, _) = CreateStores();
        Assert.Throws<ArgumentException>(() => first.Set(key, "x"));
    }
}
