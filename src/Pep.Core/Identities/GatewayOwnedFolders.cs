using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Core.Identities;

/// <summary>
/// Folders a service manager, or the operator, gives to the gateway's account when the endpoint runs separated
/// (issue 11), used as root by the tests' and benchmarks' deployments:
/// <list type="bullet">
/// <item>a stamp's role files (logs, pid files, configuration), in a private folder, with the role services running
/// as that account (<see cref="AsGateway"/>, as a unit's <c>User=</c>), so that the gateway can run the manifest's
/// start, stop, status and reload commands and read the log sources on a session's behalf ("rights declared, not
/// inherited"), while no session account can reach any of it;</item>
/// <item>the folders the gateway writes for sessions: <c>transcripts.roots</c> (Close-PrivilegedEndpoint's local
/// deliveries) and <c>allowedOutputRoots</c> (log collections).</item>
/// </list>
/// The demo's stamp and output live in the state folder, which <see cref="StateOwnership"/> gives to the gateway already.
/// </summary>
public static class GatewayOwnedFolders
{
    private const string SetPriv = "/usr/bin/setpriv";

    /// <summary>Makes <paramref name="folder"/> if needed and gives it, and everything in it, to the gateway's account; the folder itself 0700.</summary>
    public static void GiveToGateway(string folder, ServiceAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        Directory.CreateDirectory(folder);
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Prepend(folder))
        {
            if (new FileInfo(entry).LinkTarget is null)
            {
                PosixOwnership.Change(entry, accounts.Gateway.Uid, accounts.Gateway.Gid);
            }
        }

        File.SetUnixFileMode(folder, PrivateDirectory.Mode);
    }

    /// <summary>The argv prefix that runs a role's command as the gateway's account (no new privileges, no capability), as a unit's <c>User=</c> would.</summary>
    public static IReadOnlyList<string> AsGateway(ServiceAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return
        [
            SetPriv,
            "--reuid", accounts.Gateway.Uid.ToString(CultureInfo.InvariantCulture),
            "--regid", accounts.Gateway.Gid.ToString(CultureInfo.InvariantCulture),
            "--init-groups",
            "--no-new-privs",
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--",
        ];
    }
}
