namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What a test class needs beyond pwsh and the built endpoint, as xunit traits, so that a subset can be picked:
/// <c>dotnet test tests/Pep.EndToEnd.Tests --filter "Requires!=Root"</c> runs the tests that need no root.
/// A class fixture that starts smbd or mounts a file system makes the whole class need it.
/// </summary>
internal static class Requires
{
    public const string Trait = "Requires";

    /// <summary>Runs as root: mounts, network namespaces, smbd switching to the share user.</summary>
    public const string Root = "Root";

    /// <summary>Samba's smbd and smbclient (apt: samba, smbclient).</summary>
    public const string Samba = "Samba";

    /// <summary>etcd and etcdctl (apt: etcd-server, etcd-client).</summary>
    public const string Etcd = "Etcd";

    /// <summary>tmux, for a real terminal around the interactive pwsh.</summary>
    public const string Tmux = "Tmux";

    /// <summary>The SSH front door: root (sshd, PAM), openssh-server, libnss-extrausers, sshpass.</summary>
    public const string Ssh = "Ssh";

    /// <summary><c>ip netns</c> (iproute2) to simulate three hosts; needs root.</summary>
    public const string NetworkNamespaces = "NetworkNamespaces";

    /// <summary>rsyslogd with its GnuTLS driver (apt: rsyslog, rsyslog-gnutls).</summary>
    public const string Rsyslog = "Rsyslog";
}
