using Pep.Core.Contracts;
using Pep.Core.Sessions;

namespace Pep.Core.Tests.Ssh;

public sealed class SshDoorProtocolTests
{
    [Fact]
    public void ARequest_CarriesFieldsWithSpacesAndSeparators_Unchanged()
    {
        string line = SshDoorProtocol.Request(SshDoorProtocol.PasswordVerb, "cloudadmin", "10.0.0.7", "pass word\twith:sep").TrimEnd('\n');

        (string verb, string[] fields) = SshDoorProtocol.ParseRequest(line)!.Value;

        Assert.Equal(SshDoorProtocol.PasswordVerb, verb);
        Assert.Equal(["cloudadmin", "10.0.0.7", "pass word\twith:sep"], fields);
    }

    [Fact]
    public void ALineThatIsNotBase64_IsNoRequest()
        => Assert.Null(SshDoorProtocol.ParseRequest("password clear-text!"));

    [Theory]
    [InlineData("de_DE.UTF-8", "de-DE")]
    [InlineData("fr_FR@euro", "fr-FR")]
    [InlineData("en_GB", "en-GB")]
    public void APosixLocale_NamesItsCulture(string locale, string culture)
        => Assert.Equal(culture, CultureName.FromPosixLocale(locale)!.Name);

    [Theory]
    [InlineData("C.UTF-8")]
    [InlineData("POSIX")]
    [InlineData("xx_YY.UTF-8")]
    [InlineData("de_DE;rm -rf")]
    [InlineData(null)]
    public void ALocaleThatNamesNoKnownCulture_GivesNone(string? locale)
        => Assert.Null(CultureName.FromPosixLocale(locale));
}
