using Pep.Core.Sessions;
using Pep.Gateway.Sessions;

namespace Pep.Core.Tests.Gateway;

public sealed class SessionConfigurationWriterTests
{
    [Fact]
    public void Render_QuotesPathsSoThatNothingInThemIsInterpreted()
    {
        string text = SessionConfigurationWriter.Render("/opt/it's $(evil)/PepEndpoint.psd1", "/var/lib/pep/t");

        Assert.Contains("ModulesToImport = '/opt/it''s $(evil)/PepEndpoint.psd1'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MakesARestrictedNoLanguageSessionShowingTheEndpointCommands()
    {
        string text = SessionConfigurationWriter.Render("/m/PepEndpoint.psd1", "/t");

        Assert.Contains("SessionType = 'RestrictedRemoteServer'", text, StringComparison.Ordinal);
        Assert.Contains("LanguageMode = 'NoLanguage'", text, StringComparison.Ordinal);
        foreach (string command in EndpointCommands.Visible)
        {
            Assert.Contains($"'{command}'", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Online", text, StringComparison.Ordinal);
    }
}
