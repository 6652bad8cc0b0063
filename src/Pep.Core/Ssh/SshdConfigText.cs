using System.Globalization;
using System.Text;
using Pep.Core.Contracts;
using Pep.Core.Deployment;

namespace Pep.Core.Ssh;

/// <summary>
/// The sshd_config of one instance's SSH front door. sshd only authenticates (passwords through PAM to the gateway,
/// keys from the gateway) and carries the byte stream of the powershell subsystem to the gateway; everything else
/// a client may ask for is off or refused. Each line says why it is there.
/// </summary>
public static class SshdConfigText
{
    public static string Create(SshDoorLayout layout, string listenAddress, int port, string helperPath, GatewayLimits limits)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(limits);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line("# Written by pep: the SSH front door of one endpoint instance. Rewritten at every start of pep serve.");
        Line(string.Create(CultureInfo.InvariantCulture, $"ListenAddress {listenAddress}:{port}"));
        Line($"HostKey {layout.HostKey}");
        Line("PidFile none");
        Line("# Passwords: PAM (this instance's own service) asks the gateway, with the HTTPS door's limits and lockout.");
        Line("UsePAM yes");
        Line("PasswordAuthentication yes");
        Line("KbdInteractiveAuthentication no");
        Line("PermitEmptyPasswords no");
        Line("# Keys: only those the account's signed record holds now, asked of the gateway at every login.");
        Line("PubkeyAuthentication yes");
        Line("AuthorizedKeysFile none");
        Line($"AuthorizedKeysCommand {helperPath} keys {layout.AuthSocket} %u");
        Line("AuthorizedKeysCommandUser root");
        Line("HostbasedAuthentication no");
        Line("GSSAPIAuthentication no");
        Line("PermitRootLogin no");
        Line("# Nothing but the powershell subsystem: no forwarding of any kind, no TTY, no shell, no command.");
        Line("DisableForwarding yes");
        Line("AllowTcpForwarding no");
        Line("AllowStreamLocalForwarding no");
        Line("AllowAgentForwarding no");
        Line("X11Forwarding no");
        Line("PermitTunnel no");
        Line("PermitTTY no");
        Line("PermitUserRC no");
        Line("PermitUserEnvironment no");
        Line("AcceptEnv LANG LC_ALL");
        Line($"Subsystem {SshDoorProtocol.SubsystemName} {SshDoorProtocol.SubsystemCommand}");
        Line($"ForceCommand {helperPath} session {layout.SessionSocket}");
        Line("# Before login, as the HTTPS door's limits (deployment.json \"limits\").");
        Line(string.Create(CultureInfo.InvariantCulture, $"MaxStartups {limits.MaxPreAuthConnections}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"PerSourceMaxStartups {limits.MaxPreAuthConnectionsPerSource}"));
        Line("PerSourceNetBlockSize 32:64");
        Line("LoginGraceTime 60");
        Line("MaxAuthTries 6");
        Line("MaxSessions 1");
        Line("UseDNS no");
        Line("PrintMotd no");
        Line("PrintLastLog no");
        Line("Banner none");
        Line("LogLevel INFO");
        return text.ToString();
    }

    /// <summary>The instance's PAM service: the password goes to the gateway (pam_exec), and nothing else can let anyone in.</summary>
    public static string PamService(SshDoorLayout layout, string helperPath)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return $"""
            # Written by pep for the SSH door of {layout.Directory}; a door that wrote it removes it when it stops (pep-ssh-door@.service keeps it).
            auth     required pam_exec.so expose_authtok quiet {helperPath} auth {layout.AuthSocket}
            account  required pam_permit.so
            session  required pam_permit.so
            password required pam_deny.so

            """.Replace("\r", "", StringComparison.Ordinal);
    }
}
