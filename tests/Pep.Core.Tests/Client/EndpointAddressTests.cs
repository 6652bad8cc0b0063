extern alias ClientModule;

using ClientModule::Pep.ClientModule.Transport;

namespace Pep.Core.Tests.Client;

public sealed class EndpointAddressTests
{
    [Theory]
    [InlineData("ercs01", "ercs01", 4443)]
    [InlineData("ercs01:5000", "ercs01", 5000)]
    [InlineData("10.0.0.5:4444", "10.0.0.5", 4444)]
    [InlineData("[::1]:4445", "::1", 4445)]
    [InlineData("[fe80::1]", "fe80::1", 4443)]
    [InlineData("fe80::1", "fe80::1", 4443)]
    public void Parse_ReadsHostAndPort(string text, string host, int port)
        => Assert.Equal(new EndpointAddress(host, port), EndpointAddress.Parse(text, 4443));

    [Theory]
    [InlineData("")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData("[::1")]
    public void Parse_RefusesWhatIsNotAnAddress(string text)
        => Assert.Throws<FormatException>(() => EndpointAddress.Parse(text, 4443));

    [Fact]
    public void SessionUri_EscapesTheCulture()
        => Assert.Equal("wss://[::1]:4443/PrivilegedEndpoint?culture=de-DE&uiCulture=a%26b",
            new EndpointAddress("::1", 4443).SessionUri("de-DE", "a&b").ToString());
}
