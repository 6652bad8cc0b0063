using System.Net;
using System.Net.Sockets;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Cli.Demo;

/// <summary>
/// The demo's stamp: writes the demo manifest into the deployment, allows log output under
/// <c>&lt;state&gt;/output</c>, starts the role services and stops them again when disposed.
/// </summary>
internal sealed class DemoStampServices : IAsyncDisposable
{
    private readonly StampManifest _manifest;

    private DemoStampServices(StampManifest manifest) => _manifest = manifest;

    public string OutputRoot { get; private init; } = string.Empty;

    public static async Task<DemoStampServices> StartAsync(StateLayout layout, CancellationToken cancellationToken)
    {
        DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
        string output = Path.Combine(layout.Root, "output");
        Directory.CreateDirectory(output);
        config = config with { AllowedOutputRoots = [output] };
        config.Save(layout.ConfigFile);

        StampManifest manifest = DemoStamp.Build(config.Stamp.Name, config.Stamp.RegionName, config.Stamp.ExternalDomainFqdn,
            Path.Combine(layout.Root, "stamp"), PepExecutable.Argv, FreePort);
        manifest.Save(layout.StampManifest);
        var services = new DemoStampServices(manifest) { OutputRoot = output };
        foreach (StampRole role in manifest.StartOrder())
        {
            CommandOutcome outcome = await CommandRunner.RunAsync(role.Start!.Argv, TimeSpan.FromSeconds(role.Start.TimeoutSeconds), cancellationToken);
            Console.WriteLine($"  role {role.Name}: {(outcome.Succeeded ? "started" : "did not start: " + outcome.Output)} ({role.Description})");
        }

        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (StampRole role in _manifest.StartOrder().Reverse())
        {
            await CommandRunner.RunAsync(role.Stop!.Argv, TimeSpan.FromSeconds(role.Stop.TimeoutSeconds), CancellationToken.None);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
