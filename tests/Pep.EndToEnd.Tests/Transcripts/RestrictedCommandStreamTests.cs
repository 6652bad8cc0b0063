using System.Text.Json;
using Pep.Core.Sessions;
using Pep.EndToEnd.Tests.Infrastructure;
using static Pep.EndToEnd.Tests.Transcripts.TranscriptTestKit;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>
/// PowerShell's restricted commands (Get-Command, Get-Help, Select-Object, ...) keep in the sealed transcript
/// what the user silenced, while the user sees exactly what they asked for and the commands look as before.
/// </summary>
public sealed class RestrictedCommandStreamTests
{
    [Fact]
    public async Task RestrictedCommands_ErrorsSilencedWithIgnore_AreInTheSealedTranscript_AndTheUserSeesWhatTheyAskedFor()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(instanceCount: 1);
        await deployment.StartAsync(Instance);

        ProcessResult result = await deployment.RunClientAsync("""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            function Run([scriptblock] $command) {
                $errs = $null
                $out = @(Invoke-Command -Session $s -ScriptBlock $command -ErrorVariable errs -ErrorAction SilentlyContinue 2>$null)
                [pscustomobject]@{ Out = $out.Count; Errors = @(@($errs) | ForEach-Object { "$($_.FullyQualifiedErrorId)" }) }
            }
            $r = [ordered]@{}
            $r.GetCommandIgnore = Run { Get-Command No-SuchCommand-Ignored -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            $r.GetCommandSilently = Run { Get-Command No-SuchCommand-Silenced -ErrorAction SilentlyContinue }
            $r.GetCommandShown = Run { Get-Command No-SuchCommand-Shown }
            $r.GetCommandStop = try { Invoke-Command -Session $s { Get-Command No-SuchCommand-Stopped -ErrorAction Stop } -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
            $r.GetHelpIgnore = Run { Get-Help Get-Command -Parameter NoSuchParameterIgnored -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            $r.GetHelpTopicIgnore = Run { Get-Help No-SuchTopic -ErrorAction Ignore }
            $r.SelectIgnore = Run { Get-Command Get-Help | Select-Object Name, Name -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            $r.MeasureIgnore = Run { Get-Command | Measure-Object -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            $r.FormatIgnore = Run { Get-FormatData -TypeName System.Management.Automation.CommandInfo -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            $r.Syntax = (Invoke-Command -Session $s { Get-Command Get-AzureStackStampInformation -Syntax -ErrorAction Ignore } | Out-String).Trim()
            Remove-PSSession $s
            $r | ConvertTo-Json -Compress -Depth 4
            """);

        JsonElement json = SessionTests.LastJson(result);
        AssertSeen(json, "GetCommandIgnore", output: 0);
        AssertSeen(json, "GetCommandSilently", output: 0);
        AssertSeen(json, "GetCommandShown", output: 0, "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand");
        Assert.Equal("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", json.GetProperty("GetCommandStop").GetString());
        AssertSeen(json, "GetHelpIgnore", output: 0);
        AssertSeen(json, "GetHelpTopicIgnore", output: 0);
        AssertSeen(json, "SelectIgnore", output: 1);
        AssertSeen(json, "MeasureIgnore", output: 1);
        AssertSeen(json, "FormatIgnore", output: 1);
        Assert.Equal("Get-AzureStackStampInformation [<CommonParameters>]", json.GetProperty("Syntax").GetString());

        await WaitUntilAsync(() => Ledger(deployment).Count == 1 && SealedFiles(deployment).Length == 1, "the session to be sealed");
        string text = await File.ReadAllTextAsync(Assert.Single(SealedFiles(deployment)));
        const string NotFound = "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand: The term";
        Assert.Contains($"ERROR [Get-Command] {NotFound} 'No-SuchCommand-Ignored' is not recognized", text, StringComparison.Ordinal);
        Assert.Contains($"ERROR [Get-Command] {NotFound} 'No-SuchCommand-Silenced' is not recognized", text, StringComparison.Ordinal);
        Assert.Contains($"ERROR [Get-Command] {NotFound} 'No-SuchCommand-Shown' is not recognized", text, StringComparison.Ordinal);
        Assert.Contains($"ERROR [Get-Command] {NotFound} 'No-SuchCommand-Stopped' is not recognized", text, StringComparison.Ordinal);
        Assert.Contains("ERROR [Get-Help] NoParmsFound,Microsoft.PowerShell.Commands.GetHelpCommand: No parameter matches criteria NoSuchParameterIgnored.", text, StringComparison.Ordinal);
        Assert.Contains("ERROR [Get-Help] ProviderNotFound,Microsoft.PowerShell.Commands.GetHelpCommand:", text, StringComparison.Ordinal);
        Assert.Contains("ERROR [Select-Object] AlreadyExistingUserSpecifiedPropertyNoExpand,Microsoft.PowerShell.Commands.SelectObjectCommand: The property cannot be processed because the property \"Name\" already exists.", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The session's Select-Object, Measure-Object, Get-FormatData, Out-Default and Exit-PSSession take exactly
    /// the parameters of PowerShell's own restricted definitions (as the client's PowerShell makes them), with the
    /// same syntax and the same forwarded help; Get-Command and Get-Help keep their wider forms.
    /// </summary>
    [Fact]
    public async Task RestrictedCommands_KeepPowerShellsRestrictedParameters_SyntaxAndHelp()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(instanceCount: 1);
        await deployment.StartAsync(Instance);

        ProcessResult result = await deployment.RunClientAsync("""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $restricted = [System.Management.Automation.CommandMetadata]::GetRestrictedCommands([System.Management.Automation.SessionCapabilities]::RemoteServer)
            $results = foreach ($name in 'Select-Object', 'Measure-Object', 'Get-FormatData', 'Out-Default', 'Exit-PSSession') {
                $metadata = $restricted[$name]
                $expected = ("{0}`nparam({1})" -f [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata), [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)) -replace "`r", ''
                $null = New-Item -Path function:Test-RestrictedProxy -Value ([scriptblock]::Create([System.Management.Automation.ProxyCommand]::Create($metadata))) -Force
                $expectedSyntax = (Get-Command Test-RestrictedProxy -Syntax | Out-String).Trim() -replace 'Test-RestrictedProxy', $name
                $remote = Invoke-Command -Session $s { Get-Command -Name $using:name }
                $syntax = (Invoke-Command -Session $s { Get-Command -Name $using:name -Syntax } | Out-String).Trim()
                $help = Invoke-Command -Session $s { Get-Help -Name $using:name } | Out-String -Width 400
                [pscustomobject]@{
                    Name = $name
                    Type = "$($remote.CommandType)"
                    SameParameters = ($remote.Definition -replace "`r", '').Contains($expected)
                    SameSyntax = $syntax -eq $expectedSyntax
                    Syntax = $syntax
                    ExpectedSyntax = $expectedSyntax
                    HelpNamesIt = $help.Contains("NAME`n    $name")
                }
            }
            ConvertTo-Json -Compress -InputObject @($results)
            """);

        JsonElement[] commands = [.. SessionTests.LastJson(result).EnumerateArray()];
        Assert.Equal(5, commands.Length);
        foreach (JsonElement command in commands)
        {
            string name = command.GetProperty("Name").GetString()!;
            Assert.True(command.GetProperty("Type").GetString() == "Function", $"{name}: {command}");
            Assert.True(command.GetProperty("SameParameters").GetBoolean(), $"{name} does not take PowerShell's restricted parameters: {command}");
            Assert.True(command.GetProperty("SameSyntax").GetBoolean(), $"{name}: {command}");
            Assert.True(command.GetProperty("HelpNamesIt").GetBoolean(), $"{name}: {command}");
        }
    }

    /// <summary>
    /// What the proxies do, on cmdlets that write warnings and information (none of the restricted ones does):
    /// the real pwsh with the endpoint module and a session identity, no gateway.
    /// </summary>
    [Fact]
    public async Task SilencedWarningsInformationAndErrors_ReachTheStreamLog_AndNothingElse()
    {
        string state = Directory.CreateTempSubdirectory("pep-test-streams-").FullName;
        try
        {
            var identity = new SessionIdentity(Guid.NewGuid(), @"AZURESTACK\cloudadmin", Instance, "127.0.0.9", DateTimeOffset.UtcNow, state, "en-US", "en-US");
            string live = new Pep.Core.Transcripts.TranscriptStore(new Pep.Core.Deployment.StateLayout(state), Instance, TimeProvider.System).LiveFolder(identity.SessionId);
            Directory.CreateDirectory(live);
            string module = Path.Combine(RepositoryPaths.CliDirectory, "modules", EndpointCommands.ModuleName, EndpointCommands.ModuleName + ".psd1");
            string script = Path.Combine(state, "streams.ps1");
            await File.WriteAllTextAsync(script, $$"""
                $ErrorActionPreference = 'Stop'
                Import-Module '{{module}}'
                function Proxy([string] $Cmdlet, [scriptblock] $Parameters) {
                    $wrapped = $ExecutionContext.InvokeCommand.GetCommand($Cmdlet, [System.Management.Automation.CommandTypes]::Cmdlet)
                    { [CmdletBinding()] param([string] $Message)
                      $pepStreams = [Pep.SessionModule.Transcripts.RestrictedCommandStreams]::new($MyInvocation.MyCommand.Name)
                      $parameters = [Pep.SessionModule.Transcripts.RestrictedCommandStreams]::Parameters($PSBoundParameters)
                      & $wrapped @parameters }.GetNewClosure()
                }
                $null = New-Item function:Test-Warning -Value (Proxy 'Microsoft.PowerShell.Utility\Write-Warning')
                $null = New-Item function:Test-Information -Value (Proxy 'Microsoft.PowerShell.Utility\Write-Information')
                $null = New-Item function:Test-Error -Value (Proxy 'Microsoft.PowerShell.Utility\Write-Error')
                Test-Warning -Message 'silenced warning' -WarningAction Ignore
                Test-Information -Message 'silenced information' -InformationAction Ignore
                Test-Information -Message 'default information'
                Test-Error -Message 'silenced error' -ErrorAction Ignore
                $stopped = try { Test-Error -Message 'stopping error' -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
                Test-Warning -Message 'shown warning' 3>&1 | ForEach-Object { "stream3: $_" }
                "stopped: $stopped"
                """);
            var environment = new Dictionary<string, string>(identity.ToEnvironment()) { ["NO_COLOR"] = "1" };
            ProcessResult run = await ProcessRunner.RunAsync(RepositoryPaths.Pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], environment);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(["stream3: shown warning", "stopped: Microsoft.PowerShell.Commands.WriteErrorException,Test-Error"],
                run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.DoesNotContain("silenced", run.StandardError, StringComparison.Ordinal);
            string log = await File.ReadAllTextAsync(Path.Combine(live, Pep.Core.Transcripts.EndpointStreamLog.FileName));
            Assert.Contains("WARNING [Test-Warning] silenced warning", log, StringComparison.Ordinal);
            Assert.Contains("INFORMATION [Test-Information] silenced information", log, StringComparison.Ordinal);
            Assert.Contains("INFORMATION [Test-Information] default information", log, StringComparison.Ordinal);
            Assert.Contains("ERROR [Test-Error] Microsoft.PowerShell.Commands.WriteErrorException,Test-Error: silenced error", log, StringComparison.Ordinal);
            Assert.Contains("ERROR [Test-Error] Microsoft.PowerShell.Commands.WriteErrorException,Test-Error: stopping error", log, StringComparison.Ordinal);
            Assert.Contains("WARNING [Test-Warning] shown warning", log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static void AssertSeen(JsonElement results, string name, int output, params string[] errors)
    {
        JsonElement seen = results.GetProperty(name);
        Assert.True(seen.GetProperty("Out").GetInt32() == output, $"{name}: {seen}");
        Assert.True(errors.SequenceEqual(seen.GetProperty("Errors").EnumerateArray().Select(e => e.GetString()!)), $"{name}: {seen}");
    }
}
