using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Gateway.Containment;
using Pep.Gateway.Hosting;

namespace Pep.Cli.Commands;

/// <summary><c>pep serve</c>: runs one endpoint instance until it is stopped (SIGTERM or Ctrl+C).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Description = "The deployment's state directory.", Required = true };
        var instance = new Option<string>("--instance") { Description = "Which instance to run (ERCS01, ERCS02, ...).", Required = true };
        var port = new Option<int?>("--port") { Description = "Listen on this port instead of the configured one (0: any free port)." };
        var sshPort = new Option<int?>("--ssh-port") { Description = "The SSH front door listens on this port instead of the configured one (0: any free port)." };

        var command = new Command("serve", "Run one endpoint instance.") { state, instance, port, sshPort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var layout = new StateLayout(parse.GetValue(state)!.FullName);
                string instanceName = parse.GetValue(instance)!;
                // Without root, the gateway itself says whether it can separate (events 1700, 1701).
                InstanceConfig configured = DeploymentConfig.Load(layout.ConfigFile).Instance(instanceName);
                if (PosixOwnership.IsRoot)
                {
                    // Checked where the state is served, not by pep init, whose bundles (0700, to be copied) are never served in place.
                    StateOwnership.CheckReachable(layout);
                }

                if (PosixOwnership.IsRoot && await ServiceIdentities.PrepareAsync(layout, [configured.Name], cancellationToken) is { } accounts)
                {
                    // sshd must start as root: a keeper of its own does (SshDoorKeeper), started before the drop so that it
                    // stays root and outside the gateway's cgroup; the gateway learns its pid from the environment.
                    if (configured.SshPort is not null)
                    {
                        Environment.SetEnvironmentVariable(SshDoorKeeperVariable, StartSshDoorKeeper(layout, configured.Name, parse.GetValue(sshPort))
                            .ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    // Root never serves: the gateway's account does, with CAP_SETUID, CAP_SETGID and CAP_KILL only,
                    // in a cgroup folder of its own for its sessions' cgroups.
                    CgroupDelegation.DelegateTo(layout.Root, instanceName, accounts.Gateway.Uid, accounts.Gateway.Gid);
                    IOException failed = PrivilegeDrop.ExecAsGateway(accounts, layout, instanceName);
                    Console.Error.WriteLine($"pep serve: cannot become {accounts.Gateway.Name}: {failed.Message}");
                    return ExitCodes.Failed;
                }

                var options = new GatewayOptions
                {
                    Layout = layout,
                    InstanceName = instanceName,
                    EndpointModuleManifest = ModuleLocations.EndpointModuleManifest,
                    PortOverride = parse.GetValue(port),
                    SshPortOverride = parse.GetValue(sshPort),
                    SshDoorHelper = ModuleLocations.SshDoorHelper,
                    SshDoorKeeperPid = PosixOwnership.IsRoot ? null : KeeperPid(),
                };
                await using WebApplication app = GatewayServer.Build(options);
                await app.StartAsync(cancellationToken);
                if (options.Doors.SshPort is { } listening)
                {
                    Console.WriteLine($"pep: ssh {options.InstanceName.ToUpperInvariant()} {listening}");
                }

                PrintReady(app, options.InstanceName);
                await app.WaitForShutdownAsync(cancellationToken);
                return ExitCodes.Success;
            }
            catch (DeploymentException e)
            {
                Console.Error.WriteLine($"pep serve: {e.Message}");
                return ExitCodes.DeploymentError;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"pep serve: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>The environment variable that tells the gateway, after the drop, which process is its SSH door's keeper.</summary>
    private const string SshDoorKeeperVariable = "PEP_SSH_DOOR_KEEPER";

    /// <summary>Starts <c>pep ssh-door-keeper</c> as a child of this process (the gateway after the exec); returns its pid.</summary>
    private static int StartSshDoorKeeper(StateLayout layout, string instance, int? sshPort)
    {
        var start = new System.Diagnostics.ProcessStartInfo(PepExecutable.Argv[0]) { UseShellExecute = false };
        foreach (string argument in PepExecutable.Argv.Skip(1).Concat([SshDoorKeeperCommand.Name, "--state", layout.Root, "--instance", instance]))
        {
            start.ArgumentList.Add(argument);
        }

        if (sshPort is { } port)
        {
            start.ArgumentList.Add("--ssh-port");
            start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using System.Diagnostics.Process keeper = System.Diagnostics.Process.Start(start)
            ?? throw new IOException("The SSH door's keeper did not start.");
        return keeper.Id;
    }

    /// <summary>The keeper <c>pep serve</c> started as root before it became this gateway; null when it started none.</summary>
    private static int? KeeperPid()
        => int.TryParse(Environment.GetEnvironmentVariable(SshDoorKeeperVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int pid) ? pid : null;

    /// <summary>One machine-readable line once the instance accepts connections (tests and supervisors wait for it).</summary>
    public static void PrintReady(WebApplication app, string instance)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
        Console.WriteLine($"pep: ready {instance.ToUpperInvariant()} {address}");
    }
}
