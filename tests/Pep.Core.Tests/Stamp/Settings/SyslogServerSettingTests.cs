using Pep.Core.Stamp.Settings;

namespace Pep.Core.Tests.Stamp.Settings;

public sealed class SyslogServerSettingTests
{
    [Theory]
    [InlineData("siem.contoso.local")]
    [InlineData("10.0.0.50")]
    [InlineData("2001:db8::50")]
    [InlineData("localhost")]
    public void Check_AcceptsHostNamesAndAddresses(string name)
    {
        Assert.Null(new SyslogServerSetting(name, 514, SyslogTransport.Tls, false, false).Check());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("-leading.dash")]
    [InlineData("semi;colon")]
    [InlineData("new\nline")]
    public void Check_RefusesWhatIsNotAHost(string name)
    {
        Assert.NotNull(new SyslogServerSetting(name, 514, SyslogTransport.Tls, false, false).Check());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Check_RefusesAPortOutOfRange(int port)
    {
        Assert.NotNull(new SyslogServerSetting("siem", port, SyslogTransport.Tcp, false, false).Check());
    }

    [Theory]
    [InlineData(SyslogTransport.Tcp)]
    [InlineData(SyslogTransport.Udp)]
    public void Check_RefusesCertificateOptionsWithoutTls(SyslogTransport transport)
    {
        Assert.NotNull(new SyslogServerSetting("siem", 514, transport, true, false).Check());
        Assert.NotNull(new SyslogServerSetting("siem", 514, transport, false, true).Check());
    }
}
