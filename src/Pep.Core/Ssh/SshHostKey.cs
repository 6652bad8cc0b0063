using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Ssh;

/// <summary>The instance's SSH host key (Ed25519), made by OpenSSH's own ssh-keygen, and its fingerprint for operators' known_hosts.</summary>
public static class SshHostKey
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Makes the key when the instance has none; returns its fingerprint (<c>SHA256:…</c>).</summary>
    public static async Task<string> EnsureAsync(SshDoorLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        PrivateDirectory.Create(layout.Directory);
        if (!File.Exists(layout.HostKey))
        {
            CommandOutcome made = await CommandRunner.RunAsync(
                ["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pep-" + layout.Id, "-f", layout.HostKey], Limit, cancellationToken);
            if (!made.Succeeded)
            {
                throw new DeploymentException($"ssh-keygen could not make the SSH host key: {made.Describe()}");
            }
        }

        return await FingerprintAsync(layout, cancellationToken);
    }

    public static async Task<string> FingerprintAsync(SshDoorLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        CommandOutcome listed = await CommandRunner.RunAsync(["/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", layout.HostPublicKey], Limit, cancellationToken);
        string[] fields = listed.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return listed.Succeeded && fields.Length > 1 ? fields[1]
            : throw new DeploymentException($"ssh-keygen could not read the SSH host key: {listed.Describe()}");
    }
}
