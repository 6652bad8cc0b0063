using Pep.Core.Identities;
using Pep.Core.Ssh;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The shipped systemd units (deploy/systemd: pep@.service, and pep-ssh-door@.service for an instance with an SSH front
/// door), checked by systemd's own verifier (systemd is not PID 1 here; <c>systemd-analyze verify</c> still loads and
/// checks a unit) and against the identities and paths the code uses. SshDoorServiceUnitTests runs an instance inside
/// the door unit's restrictions.
/// </summary>
public sealed class ServiceUnitTests : IDisposable
{
    private const string GatewayUnit = "pep@.service";
    private const string DoorUnit = SshDoorUnitDeployment.UnitFile;
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-unit-").FullName;

    [Theory]
    [InlineData(GatewayUnit)]
    [InlineData(DoorUnit)]
    public async Task TheTemplateUnit_PassesSystemdAnalyzeVerify_WithNoWarning(string unit)
    {
        ProcessResult verify = await VerifyAsync(unit, ServiceUnit.Load(unit).WithBuiltProgram());

        Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0 && verify.StandardOutput.Trim().Length == 0, verify.ToString());
    }

    [Fact]
    public async Task AUnitWithAValueSystemdCannotParse_IsReported()
    {
        // The verifier only warns on an unknown key or a bad value (exit 0): the test above must read its output.
        string unit = ServiceUnit.Load(DoorUnit).WithBuiltProgram().Replace("NoNewPrivileges=yes", "NoNewPrivileges=maybe", StringComparison.Ordinal);
        ProcessResult verify = await VerifyAsync(DoorUnit, unit);

        Assert.Contains("Failed to parse boolean value, ignoring: maybe", verify.StandardError + verify.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnit_RunsAsTheGatewaysAccount_WithOnlyTheCapabilitiesStartingAndEndingHostsNeed()
    {
        IReadOnlyDictionary<string, string> service = ServiceUnit.Load(GatewayUnit).Service;

        Assert.Equal(ServiceAccounts.GatewayUser, service["User"]);
        Assert.Equal("yes", service["NoNewPrivileges"]);
        Assert.Equal("strict", service["ProtectSystem"]);
        Assert.Equal("/var/lib/pep", service["ReadWritePaths"]);
        Assert.Equal("yes", service["PrivateTmp"]);
        Assert.Equal("CAP_SETUID CAP_SETGID CAP_KILL", service["CapabilityBoundingSet"]);
        Assert.Equal("CAP_SETUID CAP_SETGID CAP_KILL", service["AmbientCapabilities"]);
        Assert.Equal(Path.GetFileName(ServiceAccounts.SlotLeaseDirectory), service["RuntimeDirectory"]);
        Assert.Contains("--state /var/lib/pep --instance %i", service["ExecStart"], StringComparison.Ordinal);
    }

    [Fact]
    public void TheSshDoorUnit_StartsAsRoot_PreparesOutsideItsSandbox_AndWritesOnlyTheStateTheDoorsFoldersAndTheLeases()
    {
        var unit = ServiceUnit.Load(DoorUnit);
        IReadOnlyDictionary<string, string> service = unit.Service;

        // Root at start (sshd must start as root), never a setting that would take root's capabilities from sshd.
        Assert.False(service.ContainsKey("User"));
        Assert.False(service.ContainsKey("SecureBits"));
        Assert.False(service.ContainsKey("AmbientCapabilities"));
        Assert.Equal("CAP_SETUID CAP_SETGID CAP_SETPCAP CAP_KILL CAP_SYS_CHROOT CAP_CHOWN CAP_FOWNER CAP_DAC_OVERRIDE", service["CapabilityBoundingSet"]);
        Assert.Equal("yes", service["NoNewPrivileges"]);
        Assert.Equal("strict", service["ProtectSystem"]);
        Assert.Equal(
            string.Join(' ', "/var/lib/pep", SshDoorLayout.RuntimeRoot, ServiceAccounts.SlotLeaseDirectory, Path.GetDirectoryName(ExtraUsersFile.PasswdPath)),
            service["ReadWritePaths"]);
        // Shared with other instances and units: systemd would give a RuntimeDirectory= to this unit's root at each start.
        Assert.False(service.ContainsKey("RuntimeDirectory"));
        Assert.Equal("+/opt/pep/bin/pep ssh-door-keeper --prepare --state /var/lib/pep --instance %i", service["ExecStartPre"]);
        Assert.Equal("/opt/pep/bin/pep serve --state /var/lib/pep --instance %i", service["ExecStart"]);
        foreach (string on in (string[])["PrivateTmp", "ProtectHome", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "RestrictNamespaces", "Delegate"])
        {
            Assert.True(service[on] == "yes", $"{on}=yes");
        }

        Assert.Equal("AF_UNIX AF_INET AF_INET6 AF_NETLINK", service["RestrictAddressFamilies"]);
        Assert.Equal("control-group", service["KillMode"]);
        Assert.Contains("\nConflicts=pep@%i.service\n", unit.Text, StringComparison.Ordinal);
        Assert.Contains("\nConflicts=pep-ssh-door@%i.service\n", ServiceUnit.Load(GatewayUnit).Text, StringComparison.Ordinal);
    }

    /// <summary>Runs the verifier on the unit's text, as instance ERCS01 (its program must exist: the built pep).</summary>
    private async Task<ProcessResult> VerifyAsync(string fileName, string text)
    {
        File.WriteAllText(Path.Combine(_folder, fileName), text);
        return await ProcessRunner.RunAsync("systemd-analyze", ["verify", "--man=no", Path.Combine(_folder, fileName.Replace("@.", "@ERCS01.", StringComparison.Ordinal))]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
