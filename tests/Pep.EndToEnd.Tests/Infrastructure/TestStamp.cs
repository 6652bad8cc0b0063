using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A deployment with the demo stamp behind it: real role services (<c>pep role-service</c>) on loopback,
/// started before the instances and stopped on dispose, and an allowed output folder for logs.
/// </summary>
public sealed class TestStamp : IAsyncLifetime
{
    private readonly List<EndpointInstance> _instances = [];
    private TestDeployment? _deployment;

    /// <summary>With separation, the roles run as the gateway's account (<see cref="GatewayOwnedFolders"/>); otherwise as this process.</summary>
    private IReadOnlyList<string> _runAs = [];

    public TestDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public StampManifest Manifest { get; private set; } = null!;

    public string OutputRoot { get; } = Directory.CreateTempSubdirectory("pep-test-output-").FullName;

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(2, config => config with { AllowedOutputRoots = [OutputRoot] });

        // Instances first: their ports were only reserved by pep init, and the roles' free ports are chosen next.
        foreach (var instance in _deployment.Instances)
        {
            _instances.Add(await _deployment.StartAsync(instance.Name));
        }

        string roleFolder = Path.Combine(_deployment.StateDirectory, "stamp");
        Manifest = DemoStamp.Build("azs", "local", "azurestack.external", roleFolder,
            [Dotnet, RepositoryPaths.PepDll], TestDeployment.FreePort);
        Manifest.Save(_deployment.Layout.StampManifest);
        if (ServiceAccounts.Find(PosixAccountDatabase.Read()) is { } accounts)
        {
            // As a service manager would: the roles' files are the gateway's (and so is the log output folder, TestDeployment), the roles run
            // as it, and the new stamp.json gets the mode pep init gives it (readable by sessions, never writable).
            GatewayOwnedFolders.GiveToGateway(roleFolder, accounts);
            StateOwnership.ApplyShared(_deployment.Layout, accounts, Pep.Core.Deployment.DeploymentConfig.Load(_deployment.Layout.ConfigFile));
            _runAs = GatewayOwnedFolders.AsGateway(accounts);
        }

        await StartRolesAsync();
    }

    /// <summary>What the instances printed and whether they still run: attached to a failing test's message.</summary>
    public string Diagnostics => string.Join("\n", _instances.Select(i => $"--- {i.Name} (exited: {i.HasExited}) ---\n{i.Output}"));

    /// <summary>The client's last line as JSON, with the instances' output in the message when the client failed.</summary>
    public System.Text.Json.JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result + "\n" + Diagnostics);
        return System.Text.Json.JsonDocument.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]).RootElement;
    }

    /// <summary>Starts every role again (after a test stopped some), waiting until each answers.</summary>
    public async Task StartRolesAsync()
    {
        foreach (StampRole role in Manifest.StartOrder())
        {
            CommandOutcome started = await CommandRunner.RunAsync([.. _runAs, .. role.Start!.Argv], TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.True(started.Succeeded, $"{role.Name} did not start: {started.Output}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (StampRole role in Manifest?.StartOrder().Reverse() ?? [])
        {
            await CommandRunner.RunAsync(role.Stop!.Argv, TimeSpan.FromSeconds(60), CancellationToken.None);
        }

        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        Directory.Delete(OutputRoot, recursive: true);
    }

    /// <summary>The dotnet host as an absolute path (manifest commands are absolute argv arrays).</summary>
    public static string Dotnet { get; } = FindDotnet();

    private static string FindDotnet()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "dotnet");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return root is not null && File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "/usr/share/dotnet/dotnet";
    }
}
