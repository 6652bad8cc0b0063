using System.Text;
using Pep.Gateway.Login;

namespace Pep.Gateway.Tests.Login;

public sealed class BasicCredentialsTests
{
    [Fact]
    public void TryParse_ReadsUserAndPasswordWithColonsInThePassword()
    {
        string header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(@"AZURESTACK\cloudadmin:pa:ss wörd"));

        Assert.True(BasicCredentials.TryParse(header, out string user, out string password));
        Assert.Equal(@"AZURESTACK\cloudadmin", user);
        Assert.Equal("pa:ss wörd", password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic Y2xvdWRhZG1pbg==")]
    [InlineData("Basic OnBhc3N3b3Jk")]
    [InlineData("Basic //79")]
    public void TryParse_RefusesMalformedHeaders(string? header)
        => Assert.False(BasicCredentials.TryParse(header, out _, out _));

    [Fact]
    public void TryParse_RefusesOversizedHeaders()
        => Assert.False(BasicCredentials.TryParse("Basic " + new string('A', 5000), out _, out _));
}
