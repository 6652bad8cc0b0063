using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>The issue's usage lines, driven through the real pwsh client against real instances.</summary>
public sealed class SessionTests(RunningDeployment fixture) : IClassFixture<RunningDeployment>
{
    private TestDeployment Deployment => fixture.Deployment;

    [Fact]
    public async Task NewPepSession_ReturnsAnOpenedPSSessionOnTheFirstInstance()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
            [pscustomobject]@{ Type = $pep.GetType().FullName; State = "$($pep.State)"; Computer = $pep.ComputerName; Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance } | ConvertTo-Json -Compress
            Remove-PSSession $pep
            """);

        JsonElement json = LastJson(result);
        Assert.Equal("System.Management.Automation.Runspaces.PSSession", json.GetProperty("Type").GetString());
        Assert.Equal("Opened", json.GetProperty("State").GetString());
        Assert.Equal("127.0.0.1", json.GetProperty("Computer").GetString());
        Assert.Equal("ERCS01", json.GetProperty("Instance").GetString());
    }

    [Fact]
    public async Task GetCommand_ShowsExactlyTheEightDefaultsAndTheEndpointCommands()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            ConvertTo-Json -Compress @(Invoke-Command -Session $pep { Get-Command } | ForEach-Object Name)
            """);

        string[] names = LastJson(result).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ExpectedCommands.All, names);
    }

    [Fact]
    public async Task GetCommandSyntax_AndGetHelpFull_WorkAsInTheSeed()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $syntax = Invoke-Command -Session $pep { Get-Command Get-AzureStackStampInformation -Syntax } | Out-String
            $help = Invoke-Command -Session $pep { Get-Help Get-AzureStackStampInformation -Full } | Out-String -Width 200
            [pscustomobject]@{ Syntax = $syntax; Help = $help } | ConvertTo-Json -Compress
            """);

        JsonElement json = LastJson(result);
        Assert.Contains("Get-AzureStackStampInformation [<CommonParameters>]", json.GetProperty("Syntax").GetString(), StringComparison.Ordinal);
        string help = json.GetProperty("Help").GetString()!;
        Assert.Contains("SYNOPSIS", help, StringComparison.Ordinal);
        Assert.Contains("EXAMPLE 1", help, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Script_IsRefusedWithScriptsNotAllowed()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            try { Invoke-Command -Session $pep { 1+1 } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            """);

        Assert.Equal("ScriptsNotAllowed", LastLine(result));
    }

    [Fact]
    public async Task PipelineOfVisibleCommands_RunsThroughInvokeCommand()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-Command | Select-Object Name | Measure-Object }).Count
            """);

        Assert.Equal(ExpectedCommands.All.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), LastLine(result));
    }

    [Fact]
    public async Task ImportPSSession_WithPrefix_MakesTheEndpointCmdletLocal()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Import-PSSession $pep -CommandName Get-AzureStackStampInformation -Prefix Pep
            (Get-PepAzureStackStampInformation).StampName
            """);

        Assert.Equal("azs", LastLine(result));
    }

    [Fact]
    public async Task InvokeCommand_WithUsingVariables_PassesTheValues()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $name = 'Get-AzureStackStampInformation'
            (Invoke-Command -Session $pep { Get-Command -Name $using:name }).Name
            """);

        Assert.Equal("Get-AzureStackStampInformation", LastLine(result));
    }

    /// <summary>
    /// The endpoint renders its output in the session (Out-Default runs there, in the session's culture): its own
    /// tables, dates included, read the same in German and in English. (That the host really runs in German is
    /// checked inside an unlocked session by <see cref="WarmSessionHostTests"/>; a locked session's Select-Object
    /// takes no property that would show a bare date.)
    /// </summary>
    [Fact]
    public async Task Session_RecordsTheCultureTheClientAsked_AndTheEndpointRendersItsTablesTheSameInEveryCulture()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $de = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture de-DE -UICulture de-DE
            $en = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
            foreach ($s in @{ Name = 'de'; Session = $de }, @{ Name = 'en'; Session = $en }) {
                Write-Output "--- $($s.Name) tables ---"
                Invoke-Command -Session $s.Session { Get-CloudAdminUserList | Out-Default; Get-AzureStackStampInformation | Out-Default }
            }
            Write-Output '--- end ---'
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        string Section(string name) => result.StandardOutput.Split($"--- {name} ---\n")[1].Split("\n--- ")[0].Trim();
        string german = Section("de tables"), english = Section("en tables");
        Assert.Matches(@"AZURESTACK\\cloudadmin +\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", german);
        Assert.Contains("StampName", german, StringComparison.Ordinal);
        Assert.Equal(english, german);

        // The session's culture is in its header: the gateway's session.json while it runs, the sealed transcript's header once it ended.
        string transcripts = Deployment.Layout.TranscriptDirectory("ERCS01");
        string[] cultures = Directory.GetFiles(Deployment.Layout.GatewayRecordDirectory("ERCS01"), "session.json", SearchOption.AllDirectories)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("culture").GetString()!)
            .Concat(Directory.GetFiles(transcripts, "PEP_*.txt", SearchOption.AllDirectories)
                .SelectMany(File.ReadLines).Where(l => l.StartsWith("Culture: ", StringComparison.Ordinal)).Select(l => l["Culture: ".Length..]))
            .ToArray();
        Assert.Contains("de-DE", cultures);
    }

    internal static JsonElement LastJson(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(LastLine(result)).RootElement;
    }

    internal static string LastLine(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
    }
}
