using System.CommandLine;
using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Core.Ssh;
using Pep.Gateway.SshDoor;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep ssh-door-keeper</c> (not listed in help): the root part of one instance's SSH door, started by
/// <c>pep serve</c> as root just before it drops to the gateway's account (<see cref="SshDoorKeeper"/>). Not for
/// operators: it serves the gateway that is its parent and stops when that gateway does.
/// </summary>
internal static class SshDoorKeeperCommand
{
    public const string Name = "ssh-door-keeper";

    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Required = true };
        var instance = new Option<string>("--instance") { Required = true };
        var sshPort = new Option<int?>("--ssh-port");
        var prepare = new Option<bool>("--prepare")
        {
            Description = "Only make what the door needs outside the state (pep-ssh, its PAM service, its folders), then exit: pep-ssh-door@.service runs this as root before pep serve.",
        };
        var command = new Command(Name, "The root part of an instance's SSH door (started by pep serve).") { state, instance, sshPort, prepare };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!PosixOwnership.IsRoot)
            {
                Console.Error.WriteLine($"pep {Name}: only root can run sshd for an SSH door.");
                return ExitCodes.Failed;
            }

            try
            {
                var layout = new StateLayout(parse.GetValue(state)!.FullName);
                DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
                InstanceConfig configured = config.Instance(parse.GetValue(instance)!);
                ServiceAccounts accounts = ServiceAccounts.Find(PosixAccountDatabase.Read())
                    ?? throw new DeploymentException("The endpoint's service accounts do not exist (pep init or pep serve as root makes them).");
                int port = parse.GetValue(sshPort) ?? configured.SshPort ?? throw new DeploymentException($"Instance {configured.Name} has no SSH door.");
                if (parse.GetValue(prepare))
                {
                    SshDoorKeeper.PrepareSystem(new SshDoorLayout(layout, configured.Name), ModuleLocations.SshDoorHelper);
                    ServiceAccountSetup.EnsureLeaseDirectory(accounts);
                    return ExitCodes.Success;
                }

                return await SshDoorKeeper.RunAsync(new SshDoorLayout(layout, configured.Name), configured.Address, port, ModuleLocations.SshDoorHelper,
                    config.Limits, accounts.Gateway.Uid, accounts.Gateway.Gid, cancellationToken);
            }
            catch (Exception e) when (e is DeploymentException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"pep {Name}: {e.Message}");
                return ExitCodes.DeploymentError;
            }
        });
        return command;
    }
}
