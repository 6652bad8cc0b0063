using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Core.Provisioning;

namespace Pep.Cli.Commands;

/// <summary>
/// What <c>pep init</c>, <c>pep demo</c> and <c>pep serve</c> do as root for the two identities (issue 11): the
/// service accounts, a PowerShell the session accounts can run, and the state given to the gateway's account.
/// Without root they do nothing and say plainly what that leaves unguaranteed.
/// </summary>
internal static class ServiceIdentities
{
    public const string NotRootWarning =
        "WARNING: not run as root, so there is no privilege separation: session hosts will run as the same account as the "
        + "gateway, and a session (an elevated support session above all) can read the keys, the account store, the ledger "
        + "and other sessions' transcripts. Run pep init and pep serve as root (or pep serve through pep@.service).";

    /// <summary>As root: the accounts, the shared PowerShell and the ownership of <paramref name="instances"/> (all when null).</summary>
    public static async Task<ServiceAccounts?> PrepareAsync(StateLayout layout, IReadOnlyList<string>? instances, CancellationToken cancellationToken)
    {
        if (!PosixOwnership.IsRoot)
        {
            Console.Error.WriteLine(NotRootWarning);
            return null;
        }

        DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
        ServiceAccounts accounts = await ServiceAccountSetup.EnsureAsync(cancellationToken);
        ServiceAccountSetup.EnsureLeaseDirectory(accounts);
        await SharedPowerShell.EnsureAsync(PowerShellLocator.Locate(config.PowerShellPath), cancellationToken);
        StateOwnership.ApplyShared(layout, accounts, config);
        foreach (string instance in instances ?? [.. config.Instances.Select(i => i.Name)])
        {
            StateOwnership.ApplyToInstance(layout, accounts, instance);
        }

        return accounts;
    }
}
