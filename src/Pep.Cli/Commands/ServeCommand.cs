using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pep.Core.Deployment;
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
                var options = new GatewayOptions
                {
                    Layout = new StateLayout(parse.GetValue(state)!.FullName),
                    InstanceName = parse.GetValue(instance)!,
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
