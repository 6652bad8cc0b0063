using System.Net;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;

namespace Pep.Core.Tests.Stamp.Settings;

public sealed class DnsForwardersTests
{
    [Theory]
    [InlineData("10.0.0.53")]
    [InlineData("2001:db8::53")]
    public void Check_AcceptsUnicastAddresses(string address)
    {
        Assert.Null(DnsForwarders.Check([IPAddress.Parse(address)]));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("::")]
    public void Check_RefusesWhatCannotForward(string address)
    {
        Assert.NotNull(DnsForwarders.Check([IPAddress.Parse(address)]));
    }

    [Fact]
    public void WriteThenRead_RoundTrips()
    {
        string file = Path.Combine(Path.GetTempPath(), "pep-dns-" + Guid.NewGuid().ToString("N")[..8]);
        var dns = new DnsSettings { ForwardersFile = file, Role = "DNS" };
        try
        {
            DnsForwarders.Write(dns, [IPAddress.Parse("10.0.0.53"), IPAddress.Parse("2001:db8::53")]);

            Assert.Equal(["10.0.0.53", "2001:db8::53"], DnsForwarders.Read(dns).Select(a => a.ToString()));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
