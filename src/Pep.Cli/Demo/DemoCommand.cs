using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Pep.Cli.Commands;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Provisioning;
using Pep.Core.Ssh;
using Pep.Gateway.Hosting;

namespace Pep.Cli.Demo;

/// <summary>
/// <c>pep demo</c>: the embedded default. Prepares a throw-away deployment, starts ERCS01..03 on loopback,
/// and either drops the person at the terminal into Enter-PSSession or, with no terminal, runs a scripted
/// tour through the real client and prints it.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port of the three instances (on 127.0.0.1, .2 and .3).", DefaultValueFactory = _ => WireProtocol.DefaultPort };
        var tour = new Option<bool>("--tour") { Description = "Run the scripted tour even at a terminal." };
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's state directory (transcripts, keys) and its vendor's authority folder afterwards." };
        var sshPort = new Option<int>("--ssh-port") { Description = "Port of the three instances' SSH front doors (same addresses).", DefaultValueFactory = _ => DefaultSshPort };
        var command = new Command("demo", "Run three endpoint instances on loopback and show them: an interactive session at a terminal, a scripted tour otherwise.")
        {
            port, sshPort, tour, keep,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(port), parse.GetValue(sshPort), parse.GetValue(tour), parse.GetValue(keep), cancellationToken));
        return command;
    }

    /// <summary>The demo's SSH port: beside HTTPS's 4443, and not 22, which the machine's own sshd may hold.</summary>
    private const int DefaultSshPort = 4422;

    private static async Task<int> RunAsync(int port, int sshPort, bool forceTour, bool keep, CancellationToken cancellationToken)
    {
        string stateDirectory = Path.Combine(Path.GetTempPath(), $"pep-demo-{Environment.ProcessId}-{Guid.NewGuid():N}"[..28]);
        string password = DemoPassword();
        var layout = new StateLayout(stateDirectory);
        var instances = InitCommand.ParseInstances([$"ERCS01=127.0.0.1:{port},ssh={sshPort}", $"ERCS02=127.0.0.2:{port},ssh={sshPort}", $"ERCS03=127.0.0.3:{port},ssh={sshPort}"]);
        DeploymentConfig config;
        string authorityDirectory;
        try
        {
            (config, authorityDirectory) = Prepare(layout, instances, password);
        }
        catch (DeploymentException e)
        {
            Console.Error.WriteLine($"pep demo: {e.Message}");
            return ExitCodes.DeploymentError;
        }

        Console.WriteLine($"Demo deployment in {stateDirectory}");
        // For a second terminal's stock ssh client: the password in a file only root reads, never on the screen.
        string passwordFile = Path.Combine(stateDirectory, "demo-password");
        SecretFile.WriteAllText(passwordFile, password);
        Console.WriteLine($"Demo vendor's support authority (its private keys, kept out of the stamp's state) in {authorityDirectory}");
        var servers = new List<WebApplication>();
        DemoStampServices? stamp = null;
        try
        {
            stamp = await DemoStampServices.StartAsync(layout, cancellationToken);
            // As root, the demo's gateways run their session hosts as session accounts, as pep serve does; they stay in
            // this process (which is also the demo's client and vendor), so they do not drop to the gateway's account.
            await ServiceIdentities.PrepareAsync(layout, instances: null, cancellationToken);
            foreach (InstanceConfig instance in instances)
            {
                var options = new GatewayOptions
                {
                    Layout = layout,
                    InstanceName = instance.Name,
                    EndpointModuleManifest = ModuleLocations.EndpointModuleManifest,
                    MinimumLogLevel = LogLevel.Warning,
                    SshDoorHelper = ModuleLocations.SshDoorHelper,
                };
                WebApplication app = GatewayServer.Build(options);
                await app.StartAsync(cancellationToken);
                servers.Add(app);
                Console.WriteLine($"  {instance.Name} listening on https://{instance.Address}:{instance.Port}{WireProtocol.SessionPath}");
                if (options.Doors.SshPort is { } listening)
                {
                    // Stock pwsh, nothing installed: the same accounts, sessions and transcripts through sshd.
                    Console.WriteLine($"  {instance.Name} over SSH: Enter-PSSession -HostName {instance.Address} -Port {listening} -UserName cloudadmin"
                        + $"   (host key {await SshHostKey.FingerprintAsync(new SshDoorLayout(layout, instance.Name), cancellationToken)}; password in {passwordFile})");
                }
            }

            Console.WriteLine($"  certificate thumbprint: {config.TlsCertificateThumbprint}");
            bool interactive = !forceTour && !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var client = new DemoClient(password, string.Join(',', instances.Select(i => $"{i.Address}:{i.Port}")), config.TlsCertificateThumbprint!, authorityDirectory);
            if (interactive)
            {
                return await client.RunAsync(DemoClient.Interactive, interactive: true, cancellationToken);
            }

            foreach (string script in new[] { DemoClient.Tour, DemoClient.SupportTour })
            {
                int exit = await client.RunAsync(script, interactive: false, cancellationToken);
                if (exit != 0)
                {
                    return exit;
                }
            }

            Console.WriteLine();
            Console.WriteLine(">>> Stopping ERCS01 to show failover: the client moves on to ERCS02.");
            await servers[0].StopAsync(cancellationToken);
            return await client.RunAsync(DemoClient.Failover, interactive: false, cancellationToken);
        }
        finally
        {
            if (stamp is not null)
            {
                await stamp.DisposeAsync();
            }

            foreach (WebApplication app in servers)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            if (!keep)
            {
                Directory.Delete(stateDirectory, recursive: true);
                Directory.Delete(authorityDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The demo's deployment and its vendor's support authority: the stamp's state directory gets the
    /// authority's public bundle only; the private keys go to the vendor's own folder beside it.
    /// </summary>
    internal static (DeploymentConfig Config, string AuthorityDirectory) Prepare(StateLayout layout, IReadOnlyList<InstanceConfig> instances, string password)
    {
        DeploymentConfig config = DeploymentInitializer.Create(layout, new DeploymentRequest("azs", "local", "AZURESTACK", "azurestack.external", instances, "cloudadmin"), password, TimeProvider.System);
        return (config, DemoSupportTour.CreateAuthority(layout));
    }

    /// <summary>A random password that meets the policy; it lives only in this process and the demo client's environment.</summary>
    private static string DemoPassword()
        => "Pep-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "-7a";
}
