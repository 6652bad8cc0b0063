using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Hosting;

/// <summary>
/// Decides, once at start, whether this gateway runs its session hosts as session accounts of their own (issue 11):
/// only when it may switch users (root, or the gateway's account with CAP_SETUID, CAP_SETGID and CAP_KILL, as <c>pep serve</c>
/// leaves it) and the service accounts exist. Otherwise hosts run as the gateway's own account, as before, and the
/// gateway says plainly what that cannot guarantee.
/// </summary>
internal static class HostSeparation
{
    /// <summary>
    /// The session accounts to lease from, with the ids of the groups the deployment grants support sessions
    /// (<paramref name="supportGroups"/>), or null with the reason separation is off.
    /// </summary>
    /// <exception cref="Pep.Core.Deployment.DeploymentException">A support group that does not exist or may not be granted.</exception>
    public static SessionAccountSlots? TryOpen(IReadOnlyList<string> supportGroups, out string? whyNot)
    {
        if (!PosixOwnership.IsRoot && !PosixOwnership.CanSwitchUsers())
        {
            whyNot = $"pep serve runs as uid {PosixOwnership.EffectiveUserId} without CAP_SETUID, CAP_SETGID and CAP_KILL (start it as root, or through the pep@.service unit)";
            return null;
        }

        PosixAccountDatabase database = PosixAccountDatabase.Read();
        if (ServiceAccounts.Find(database) is not { } accounts)
        {
            whyNot = $"the service accounts ({ServiceAccounts.GatewayUser}, {ServiceAccounts.SessionGroup}, {ServiceAccounts.SlotUser(0)}..) do not exist (run pep init as root)";
            return null;
        }

        if (PosixOwnership.IsRoot)
        {
            ServiceAccountSetup.EnsureLeaseDirectory(accounts);
        }
        else if (!Directory.Exists(ServiceAccounts.SlotLeaseDirectory))
        {
            whyNot = $"{ServiceAccounts.SlotLeaseDirectory} does not exist (pep serve started as root makes it, and so does pep@.service)";
            return null;
        }

        // What a host creates is its group's (its own folders are setgid), so the gateway, in that group, reads and
        // removes it; nothing is for others. The gateway's own files keep the modes it gives them.
        _ = PosixOwnership.SetCreationMask(UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        whyNot = null;
        return new SessionAccountSlots(accounts, SupportGroups.Resolve(supportGroups, database, accounts));
    }
}
