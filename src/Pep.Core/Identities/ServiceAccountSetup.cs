using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Identities;

/// <summary>
/// Creates the service accounts (<see cref="ServiceAccounts"/>) with the system's own tools, as root, idempotently:
/// system accounts with no home and no login shell. What exists already is left as it is.
/// </summary>
public static class ServiceAccountSetup
{
    private const string NoLogin = "/usr/sbin/nologin";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ServiceAccounts> EnsureAsync(CancellationToken cancellationToken)
    {
        PosixAccountDatabase accounts = PosixAccountDatabase.Read();
        if (ServiceAccounts.Find(accounts) is { } existing)
        {
            return existing;
        }

        if (accounts.GroupId(ServiceAccounts.SessionGroup) is null)
        {
            await RunAsync(["groupadd", "--system", ServiceAccounts.SessionGroup], cancellationToken);
        }

        if (accounts.User(ServiceAccounts.GatewayUser) is null)
        {
            await RunAsync(NewAccount(ServiceAccounts.GatewayUser, supplementaryGroup: null), cancellationToken);
        }

        if (!accounts.IsMember(ServiceAccounts.SessionGroup, ServiceAccounts.GatewayUser))
        {
            // It gives the session group the files every host reads (the warm-up configuration).
            await RunAsync(["usermod", "--append", "--groups", ServiceAccounts.SessionGroup, ServiceAccounts.GatewayUser], cancellationToken);
        }

        var slotGroups = new List<string>();
        for (int slot = 0; slot < ServiceAccounts.SlotCount; slot++)
        {
            string name = ServiceAccounts.SlotUser(slot);
            if (accounts.User(name) is null)
            {
                await RunAsync(NewAccount(name, ServiceAccounts.SessionGroup), cancellationToken);
            }
            else if (!accounts.IsMember(ServiceAccounts.SessionGroup, name))
            {
                await RunAsync(["usermod", "--append", "--groups", ServiceAccounts.SessionGroup, name], cancellationToken);
            }

            if (!accounts.IsMember(name, ServiceAccounts.GatewayUser))
            {
                slotGroups.Add(name);
            }
        }

        if (slotGroups.Count > 0)
        {
            // The gateway joins each session account's own group: it creates a host's folders in that group.
            await RunAsync(["usermod", "--append", "--groups", string.Join(',', slotGroups), ServiceAccounts.GatewayUser], cancellationToken);
        }

        return ServiceAccounts.Find(PosixAccountDatabase.Read())
            ?? throw new DeploymentException("The service accounts were created but are not complete in /etc/passwd and /etc/group.");
    }

    /// <summary>
    /// The gateways' lease folder (<see cref="ServiceAccounts.SlotLeaseDirectory"/>, in /run, so made again after each
    /// boot: by pep serve as root, or by systemd's RuntimeDirectory= in pep@.service), the gateway's alone.
    /// </summary>
    public static void EnsureLeaseDirectory(ServiceAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        PrivateDirectory.Create(ServiceAccounts.SlotLeaseDirectory);
        PosixOwnership.Change(ServiceAccounts.SlotLeaseDirectory, accounts.Gateway.Uid, accounts.Gateway.Gid);
        File.SetUnixFileMode(ServiceAccounts.SlotLeaseDirectory, PrivateDirectory.Mode);

        // A lease file made by a gateway that kept root (an instance with an SSH door) is given to the gateway's
        // account, so that a gateway that dropped can lease that account again.
        foreach (string lease in Directory.EnumerateFiles(ServiceAccounts.SlotLeaseDirectory, "*.lock"))
        {
            try
            {
                PosixOwnership.Change(lease, accounts.Gateway.Uid, accounts.Gateway.Gid);
            }
            catch (FileNotFoundException)
            {
                // Removed meanwhile: nothing to give.
            }
        }
    }

    private static string[] NewAccount(string name, string? supplementaryGroup)
    {
        string[] account = ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", NoLogin];
        return supplementaryGroup is null ? [.. account, name] : [.. account, "--groups", supplementaryGroup, name];
    }

    private static async Task RunAsync(string[] argv, CancellationToken cancellationToken)
    {
        CommandOutcome outcome = await CommandRunner.RunAsync(argv, ToolTimeout, cancellationToken);
        // 9: the name exists (another instance created it at the same moment), which is what was wanted.
        if (outcome.ExitCode is not (0 or 9))
        {
            throw new DeploymentException($"'{string.Join(' ', argv)}' failed ({outcome.Describe()}): {outcome.Output.Trim()}");
        }
    }
}
