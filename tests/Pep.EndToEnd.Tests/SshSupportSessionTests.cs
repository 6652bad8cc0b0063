using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Break the glass from stock pwsh over the SSH front door: the same session host, the same unlock, the same record.</summary>
[Collection(SupportSequence.Name)]
[Trait(Requires.Trait, Requires.Ssh)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class SshSupportSessionTests(SshSupportDeployment fixture) : IClassFixture<SshSupportDeployment>
{
    [Fact]
    public async Task Unlock_OverSsh_WithTheAuthorityResponse_ElevatesThatSession()
    {
        EndpointInstance instance = fixture.Deployment.Running[0];
        await SshDeployment.PrepareClientAsync(fixture.Deployment, instance);
        string state = fixture.Deployment.StateDirectory;
        ProcessResult result = await PwshClient.RunAsync(fixture.Variables + $$"""
            $ErrorActionPreference = 'Stop'
            $o = @{ UserKnownHostsFile = '{{state}}/known_hosts'; StrictHostKeyChecking = 'yes' }
            $s = New-PSSession -HostName 127.0.0.1 -Port {{instance.SshPort}} -UserName cloudadmin -KeyFilePath '{{state}}/operator-key' -Options $o
            $r = [ordered]@{}
            $r.Before = Refusal { Invoke-Command -Session $s { 1 + 1 } -ErrorAction Stop }
            $response = Grant (Invoke-Command -Session $s { Get-SupportSessionToken })
            $r.Unlocked = (Invoke-Command -Session $s { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue).State
            $r.Sum = [int](Invoke-Command -Session $s { 1 + 1 })
            $r.State = (Invoke-Command -Session $s { Get-SupportSessionInfo }).State
            Remove-PSSession $s
            [pscustomobject]$r | ConvertTo-Json -Compress
            """, fixture.Deployment.AdminPassword);

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("ScriptsNotAllowed", json.GetProperty("Before").GetString());
        Assert.Equal("Elevated", json.GetProperty("Unlocked").GetString());
        Assert.Equal(2, json.GetProperty("Sum").GetInt32());
        Assert.Equal("Elevated", json.GetProperty("State").GetString());
    }
}
