using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pep.Core.Deployment;
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
                if (PosixOwnership.IsRoot && await ServiceIdentities.PrepareAsync(layout, [configured.Name], cancellationToken) is { } accounts)
                {
                    if (configured.SshPort is null)
                    {
                        // Root never serves: the gateway's account does, with CAP_SETUID, CAP_SETGID and CAP_KILL only,
                        // in a cgroup folder of its own for its sessions' cgroups.
                        CgroupDelegation.DelegateTo(layout.Root, instanceName, accounts.Gateway.Uid, accounts.Gateway.Gid);
                        IOException failed = PrivilegeDrop.ExecAsGateway(accounts, layout, instanceName);
                        Console.Error.WriteLine($"pep serve: cannot become {accounts.Gateway.Name}: {failed.Message}");
                        return ExitCodes.Failed;
                    }

                    // An SSH front door needs root for sshd (which runs as root to authenticate other users), its PAM
                    // service in /etc/pam.d and the machine's extrausers file: such an instance's gateway stays root.
                    // Its session hosts still run as session accounts of their own (README, Security, "Two identities").
                    Console.Error.WriteLine(ServiceIdentities.SshDoorKeepsRootWarning);
                }

                var options = new GatewayOptions
                {
                    Layout = layout,
                    InstanceName = instanceName,
                    EndpointModuleManifest = ModuleLocations.EndpointModuleManifest,
                    PortOverride = parse.GetValue(port),
                    SshPortOverride = parse.GetValue(sshPort),
                    SshDoorHelper = ModuleLocations.SshDoorHelper,
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

    /// <summary>One machine-readable line once the instance accepts connections (tests and supervisors wait for it).</summary>
    public static void PrintReady(WebApplication app, string instance)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
        Console.WriteLine($"pep: ready {instance.ToUpperInvariant()} {address}");
    }
}
