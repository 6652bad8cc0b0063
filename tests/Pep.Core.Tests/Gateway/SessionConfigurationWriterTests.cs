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

    [Fact]
    public void Render_DefinesEveryRestrictedCommandButClearHost_AsAProxyThatRecordsItsStreams()
    {
        string text = SessionConfigurationWriter.Render("/m/PepEndpoint.psd1", "/t");

        string[] proxies = text.Split("@{ Name = '")[1..];
        Assert.Equal(EndpointCommands.RestrictedDefaults.Where(c => c != "Clear-Host").Order(StringComparer.Ordinal), proxies.Select(p => p[..p.IndexOf('\'', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        foreach (string proxy in proxies)
        {
            Assert.Contains("[Pep.SessionModule.Transcripts.RestrictedCommandStreams]::Parameters($PSBoundParameters)", proxy, StringComparison.Ordinal);
            Assert.Contains("@parameters }", proxy, StringComparison.Ordinal);
            Assert.Contains(".GetSteppablePipeline($MyInvocation.CommandOrigin)", proxy, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(@"GetCommand\('Microsoft\.PowerShell\.(Core|Utility)\\[A-Za-z-]+', \[System\.Management\.Automation\.CommandTypes\]::Cmdlet\)", proxy);
        }
    }
}
