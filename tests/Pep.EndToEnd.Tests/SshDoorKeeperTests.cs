using Pep.Core.Identities;
using Pep.Core.Ssh;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Transcripts;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// An instance with an SSH front door, started as root like the others: its gateway drops to the gateway's account
/// while a root keeper of its own runs sshd (issue 11), and the door works through it. Its own deployment, because
/// the test kills the gateway for real.
/// </summary>
[Trait(Requires.Trait, Requires.Ssh)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class SshDoorKeeperTests(SshDeployment fixture) : IClassFixture<SshDeployment>
{
    [Fact]
    public async Task TheGatewayDropsRoot_WhileARootKeeperRunsSshd_AndAGatewayKilledForReal_TakesItsSshdWithIt()
    {
        EndpointInstance gateway = fixture.Instance;
        PosixAccount gatewayAccount = PosixAccountDatabase.Read().User(ServiceAccounts.GatewayUser)!;
        int keeper = Assert.Single(Processes.ChildrenOf(gateway.ProcessId), pid => Processes.CommandLine(pid).Contains("ssh-door-keeper", StringComparison.Ordinal));
        int sshd = Assert.Single(Processes.ChildrenOf(keeper), pid => Processes.CommandLine(pid).Contains("sshd_config", StringComparison.Ordinal));
        var door = new SshDoorLayout(fixture.Deployment.Layout, gateway.Name);

        Assert.Equal(gatewayAccount.Uid, Processes.EffectiveUid(gateway.ProcessId));
        Assert.Equal(0, Processes.EffectiveUid(keeper));
        Assert.Equal(0, Processes.EffectiveUid(sshd));
        Assert.Equal("0 700", await StatAsync(door.Directory));
        Assert.Equal("0 600", await StatAsync(door.HostKey));
        Assert.True(File.Exists(door.PamServiceFile), $"{door.PamServiceFile} exists while the door runs");

        ProcessResult session = await fixture.PwshAsync($$"""
            $s = New-PSSession -HostName 127.0.0.1 -Port {{fixture.SshPort}} -UserName cloudadmin -KeyFilePath '{{fixture.KeyFile}}' -Options {{fixture.PwshOptions}}
            'stamp:' + (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            Remove-PSSession $s
            """);
        Assert.True(session.ExitCode == 0, session.ToString());
        Assert.Contains("stamp:ERCS01", session.StandardOutput, StringComparison.Ordinal);

        gateway.Kill();
        await EndpointInstance.WaitUntilAsync(() => !TranscriptTestKit.IsRunning(keeper) && !TranscriptTestKit.IsRunning(sshd),
            () => $"the keeper ({keeper}) and sshd ({sshd}) ended with their gateway:\n{gateway.Output}");
        Assert.False(File.Exists(door.PamServiceFile), $"{door.PamServiceFile} is removed with the door");
        Assert.False(File.Exists(door.KeeperStatusFile), $"{door.KeeperStatusFile} is removed with the door");
        ProcessResult refused = await fixture.SshAsync("cloudadmin", null, ["-o", "ConnectTimeout=5", "-s"], "powershell");
        Assert.Contains("Connection refused", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("its gateway is gone", gateway.Output, StringComparison.Ordinal);
    }

    /// <summary>Owner uid and octal mode, as stat prints them.</summary>
    private static async Task<string> StatAsync(string path)
    {
        ProcessResult stat = await ProcessRunner.RunAsync("stat", ["-c", "%u %a", path]);
        return stat.StandardOutput.Trim();
    }
}
