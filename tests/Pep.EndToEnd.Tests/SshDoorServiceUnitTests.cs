using Pep.Core.Identities;
using Pep.Core.Ssh;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// deploy/systemd/pep-ssh-door@.service's restrictions leave an SSH-door instance working. systemd is not PID 1 here,
/// so the unit cannot be started for real; its preparation runs as root, then <c>pep serve</c> runs with the unit's
/// capability bounding set, no new privileges, a read-only system but for its ReadWritePaths=, and a cgroup of its
/// own (<see cref="ServiceUnitSandbox"/>): the keeper, sshd (privilege separation, the switch to pep-ssh, PAM) and
/// the dropped gateway must all work inside it, through a real login by key and by password.
/// </summary>
[Trait(Requires.Trait, Requires.Ssh)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class SshDoorServiceUnitTests(SshDoorUnitDeployment fixture) : IClassFixture<SshDoorUnitDeployment>
{
    /// <summary>Linux's capability numbers (linux/capability.h) of the names a unit may list.</summary>
    private static readonly Dictionary<string, int> CapabilityNumbers = new(StringComparer.Ordinal)
    {
        ["CAP_CHOWN"] = 0, ["CAP_DAC_OVERRIDE"] = 1, ["CAP_DAC_READ_SEARCH"] = 2, ["CAP_FOWNER"] = 3, ["CAP_FSETID"] = 4,
        ["CAP_KILL"] = 5, ["CAP_SETGID"] = 6, ["CAP_SETUID"] = 7, ["CAP_SETPCAP"] = 8, ["CAP_NET_BIND_SERVICE"] = 10,
        ["CAP_SYS_CHROOT"] = 18, ["CAP_AUDIT_WRITE"] = 29,
    };

    [Fact]
    public async Task AnInstanceUnderTheSshDoorUnitsRestrictions_TakesKeyAndPasswordLoginsThroughItsDoor_AsRootOnlyWithinTheUnitsBounds_AndStopsAsSystemctlStopsIt()
    {
        SshDeployment door = fixture.Door;
        EndpointInstance gateway = door.Instance;
        int keeper = Assert.Single(Processes.ChildrenOf(gateway.ProcessId), pid => Processes.CommandLine(pid).Contains("ssh-door-keeper", StringComparison.Ordinal));
        int sshd = Assert.Single(Processes.ChildrenOf(keeper), pid => Processes.CommandLine(pid).Contains("sshd_config", StringComparison.Ordinal));
        ulong bounds = fixture.Unit.Service["CapabilityBoundingSet"].Split(' ').Aggregate(0UL, (mask, name) => mask | (1UL << CapabilityNumbers[name]));

        Assert.Equal(PosixAccountDatabase.Read().User(ServiceAccounts.GatewayUser)!.Uid, Processes.EffectiveUid(gateway.ProcessId));
        foreach (int root in (int[])[keeper, sshd])
        {
            Assert.Equal(0, Processes.EffectiveUid(root));
            Assert.Equal(bounds, Processes.BoundingSet(root));
            Assert.Equal("1", Processes.Status(root, "NoNewPrivs"));
            Assert.Equal("ro", Processes.MountOptions(root, "/etc"));
            Assert.Equal("rw", Processes.MountOptions(root, "/run/pep-ssh"));
            Assert.Equal("ro", Processes.MountOptions(root, "/root"));
            Assert.False(File.Exists($"/proc/{root}/root/dev/kmsg"), "PrivateDevices=: no /dev/kmsg in its /dev");
        }

        ProcessResult byKey = await door.PwshAsync($$"""
            $s = New-PSSession -HostName 127.0.0.1 -Port {{door.SshPort}} -UserName cloudadmin -KeyFilePath '{{door.KeyFile}}' -Options {{door.PwshOptions}}
            'key:' + (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            Remove-PSSession $s
            """);
        Assert.True(byKey.ExitCode == 0, byKey + "\n" + gateway.Output);
        Assert.Contains("key:ERCS01", byKey.StandardOutput, StringComparison.Ordinal);

        ProcessResult byPassword = await door.PwshAsync($$"""
            $o = @{ UserKnownHostsFile = '{{door.KnownHostsFile}}'; StrictHostKeyChecking = 'yes'; PubkeyAuthentication = 'no'; NumberOfPasswordPrompts = '1' }
            $s = New-PSSession -HostName 127.0.0.1 -Port {{door.SshPort}} -UserName cloudadmin -Options $o
            'password:' + (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            Remove-PSSession $s
            """, door.Deployment.AdminPassword);
        Assert.True(byPassword.ExitCode == 0, byPassword + "\n" + gateway.Output);
        Assert.Contains("password:ERCS01", byPassword.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Containment is OFF", gateway.Output, StringComparison.Ordinal);

        // systemctl stop: SIGTERM to every process of the unit at once. The keeper stops sshd and clears its status; the
        // PAM service the preparation wrote stays for the next start.
        var layout = new SshDoorLayout(door.Deployment.Layout, gateway.Name);
        await fixture.Sandbox.StopAsync();
        await EndpointInstance.WaitUntilAsync(() => fixture.Sandbox.IsEmpty, () => $"every process of the unit ended:\n{gateway.Output}");
        Assert.False(File.Exists(layout.KeeperStatusFile), $"{layout.KeeperStatusFile} is removed with the door");
        Assert.True(File.Exists(layout.PamServiceFile), $"{layout.PamServiceFile} stays for the unit's next start");
        Assert.Contains("the keeper stops sshd", gateway.Output, StringComparison.Ordinal);
    }
}
