using Pep.Core.Sessions;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Tests.SessionHosts;

public sealed class SessionConfigurationWriterTests
{
    [Fact]
    public void Render_QuotesPathsSoThatNothingInThemIsInterpreted()
    {
        string text = SessionConfigurationWriter.Render("/opt/it's $(evil)/PepEndpoint.psd1", "/var/lib/pep/t");

        Assert.Contains("ModulesToImport = '/opt/it''s $(evil)/PepEndpoint.psd1'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MakesARestrictedNoLanguageTranscribedSessionOfTheEndpointModule()
    {
        string text = SessionConfigurationWriter.Render("/m/PepEndpoint.psd1", "/t");

        Assert.Contains("SessionType = 'RestrictedRemoteServer'", text, StringComparison.Ordinal);
        Assert.Contains("LanguageMode = 'NoLanguage'", text, StringComparison.Ordinal);
        Assert.Contains("ModulesToImport = '/m/PepEndpoint.psd1'", text, StringComparison.Ordinal);
        Assert.Contains("TranscriptDirectory = '/t'", text, StringComparison.Ordinal);
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

    [Fact]
    public void Render_WithoutATranscriptFolder_IsTheWarmUpConfiguration_TheSameSessionUntranscribed()
    {
        string session = SessionConfigurationWriter.Render("/m/PepEndpoint.psd1", "/t");
        string warmUp = SessionConfigurationWriter.Render("/m/PepEndpoint.psd1", transcriptDirectory: null);

        Assert.DoesNotContain("TranscriptDirectory", warmUp, StringComparison.Ordinal);
        Assert.Equal(session.Replace("TranscriptDirectory = '/t'" + Environment.NewLine, "", StringComparison.Ordinal), warmUp);
    }

    [Fact]
    public void TheModuleExportsExactlyTheEndpointCommands_WhichIsWhatTheSessionShows()
    {
        // The session configuration has no VisibleCmdlets: the module manifest's export list decides.
        string manifest = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Pep.SessionModule", "PepEndpoint.psd1"));
        int start = manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal);
        string list = manifest[manifest.IndexOf('(', start)..manifest.IndexOf(')', start)];
        string[] exported = System.Text.RegularExpressions.Regex.Matches(list, "'([^']+)'").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(EndpointCommands.Visible.Order(StringComparer.Ordinal), exported);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PrivilegedEndpoint.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found above the test's folder.");
    }
}
