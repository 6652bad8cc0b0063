using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Ssh;

namespace Pep.Core.Tests.Ssh;

public sealed class SshdConfigTextTests
{
    private static readonly SshDoorLayout Door = new(new StateLayout("/var/lib/pep"), "ERCS01");

    private static string[] Lines => SshdConfigText.Create(Door, "10.0.0.11", 4422, "/opt/pep/ssh-door/pep-ssh-door", new GatewayLimits()).Split('\n');

    [Theory]
    [InlineData("DisableForwarding yes")]
    [InlineData("PermitTTY no")]
    [InlineData("PermitUserEnvironment no")]
    [InlineData("PermitUserRC no")]
    [InlineData("X11Forwarding no")]
    [InlineData("AllowAgentForwarding no")]
    [InlineData("PermitTunnel no")]
    [InlineData("PermitRootLogin no")]
    [InlineData("AuthorizedKeysFile none")]
    [InlineData("KbdInteractiveAuthentication no")]
    [InlineData("AcceptEnv LANG LC_ALL")]
    public void TheConfiguration_TurnsOffWhatASessionMustNotHave(string line)
        => Assert.Contains(line, Lines);

    [Fact]
    public void EverySession_RunsTheForcedRelay_AndThePowershellSubsystemIsOnlyAName()
    {
        Assert.Contains($"ForceCommand /opt/pep/ssh-door/pep-ssh-door session {Door.SessionSocket}", Lines);
        Assert.Contains($"Subsystem {SshDoorProtocol.SubsystemName} {SshDoorProtocol.SubsystemCommand}", Lines);
        Assert.Single(Lines, line => line.StartsWith("AcceptEnv", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePamService_LetsOnlyTheGatewaysAnswerIn()
    {
        string pam = SshdConfigText.PamService(Door, "/opt/pep/ssh-door/pep-ssh-door");

        Assert.Contains($"auth     required pam_exec.so expose_authtok quiet /opt/pep/ssh-door/pep-ssh-door auth {Door.AuthSocket}", pam, StringComparison.Ordinal);
        Assert.Contains("password required pam_deny.so", pam, StringComparison.Ordinal);
        Assert.DoesNotContain("pam_unix", pam, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoInstances_GetTheirOwnPamServiceAndSockets()
    {
        var other = new SshDoorLayout(new StateLayout("/var/lib/pep"), "ERCS02");

        Assert.NotEqual(Door.PamServiceName, other.PamServiceName);
        Assert.NotEqual(Door.SessionSocket, other.SessionSocket);
        Assert.True(Door.SessionSocket.Length < 100, "a Unix socket path holds at most 107 bytes");
    }
}
