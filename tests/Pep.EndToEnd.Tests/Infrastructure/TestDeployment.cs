using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Pep.Core.Deployment;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real deployment made by <c>pep init</c> in a temporary directory, with instances on free loopback
/// ports. Instances are started as real <c>pep serve</c> processes; disposing kills them and removes the state.
/// </summary>
public sealed class TestDeployment : IAsyncDisposable
{
    public const string AdminUser = @"AZURESTACK\cloudadmin";
    private readonly List<EndpointInstance> _running = [];

    private TestDeployment(string stateDirectory, string adminPassword, IReadOnlyList<InstanceConfig> instances, string thumbprint)
    {
        StateDirectory = stateDirectory;
        AdminPassword = adminPassword;
        Instances = instances;
        Thumbprint = thumbprint;
    }

    public string StateDirectory { get; }

    public StateLayout Layout => new(StateDirectory);

    public string AdminPassword { get; }

    public IReadOnlyList<InstanceConfig> Instances { get; }

    public string Thumbprint { get; }

    /// <summary>The instances started so far, in start order.</summary>
    public IReadOnlyList<EndpointInstance> Running => _running;

    /// <summary>The instances as New-PepSession takes them: <c>'127.0.0.1:p1', '127.0.0.1:p2', …</c>.</summary>
    public string ComputerNames => string.Join(", ", Instances.Select(i => $"'{i.Address}:{i.Port}'"));

    /// <param name="instanceCount">ERCS01, ERCS02, … on loopback, each on its own free port.</param>
    /// <param name="adjust">Changes to deployment.json before any instance starts.</param>
    /// <param name="initArguments">More arguments for <c>pep init</c>.</param>
    /// <param name="warmSessionHosts">Warm hosts per instance. None by default: each warms up for seconds of CPU
    /// time, which a suite of short-lived deployments on two cores cannot spare; the tests of the warm path ask for them.</param>
    /// <param name="sshDoor">Give each instance an SSH front door too, on a free port of its own.</param>
    public static async Task<TestDeployment> CreateAsync(int instanceCount = 3, Func<DeploymentConfig, DeploymentConfig>? adjust = null, IEnumerable<string>? initArguments = null, int warmSessionHosts = 0,
        bool sshDoor = false)
    {
        string state = Path.Combine(Path.GetTempPath(), "pep-test-" + Guid.NewGuid().ToString("N")[..12]);
        string password = "Pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "-lower";
        var instanceArguments = new List<string>();
        for (int i = 1; i <= instanceCount; i++)
        {
            instanceArguments.Add("--instance");
            instanceArguments.Add($"ERCS0{i}=127.0.0.1:{FreePort()}" + (sshDoor ? $",ssh={FreePort()}" : ""));
        }

        ProcessResult init = await ProcessRunner.RunAsync("dotnet",
            [RepositoryPaths.PepDll, "init", "--state", state, "--password-env", "PEP_TEST_INIT_PASSWORD", .. instanceArguments, .. initArguments ?? []],
            new Dictionary<string, string> { ["PEP_TEST_INIT_PASSWORD"] = password });
        Assert.True(init.ExitCode == 0, $"pep init failed: {init}");

        var layout = new StateLayout(state);
        DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
        config = config with { Limits = config.Limits with { WarmSessionHosts = warmSessionHosts } };
        if (adjust is not null)
        {
            config = adjust(config);
        }

        config.Save(layout.ConfigFile);
        foreach (string folder in config.Transcripts.Roots.Concat(config.AllowedOutputRoots).Where(Directory.Exists))
        {
            GiveToGateway(folder);
        }

        return new TestDeployment(state, password, config.Instances, config.TlsCertificateThumbprint!);
    }

    /// <summary>
    /// With separation (the tests run as root, so pep init made the accounts) the gateway's account writes local
    /// deliveries and log collections: a folder for them is given to it, as an operator would arrange. Nothing otherwise.
    /// </summary>
    public static string GiveToGateway(string folder)
    {
        if (Pep.Core.Identities.ServiceAccounts.Find(Pep.Core.Identities.PosixAccountDatabase.Read()) is { } accounts)
        {
            Pep.Core.Identities.GatewayOwnedFolders.GiveToGateway(folder, accounts);
        }

        return folder;
    }

    public async Task<EndpointInstance> StartAsync(string instanceName, IReadOnlyDictionary<string, string>? environment = null)
    {
        EndpointInstance instance = await EndpointInstance.StartAsync(StateDirectory, instanceName, environment: environment);
        _running.Add(instance);
        return instance;
    }

    /// <summary>Starts instance <paramref name="instanceName"/> by a command line of the caller's that runs <c>pep serve</c> (a sandbox around it).</summary>
    public async Task<EndpointInstance> StartCommandAsync(IReadOnlyList<string> argv, string instanceName)
    {
        EndpointInstance instance = await EndpointInstance.StartCommandAsync(argv, instanceName);
        _running.Add(instance);
        return instance;
    }

    public async Task StartAllAsync()
    {
        foreach (InstanceConfig instance in Instances)
        {
            await StartAsync(instance.Name);
        }
    }

    /// <summary>Runs a client script with <c>$cred</c>, <c>$computers</c> and <c>$thumbprint</c> set and the client module imported.</summary>
    public Task<ProcessResult> RunClientAsync(string script, string? password = null, string user = AdminUser, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
        => PwshClient.RunAsync(PwshClient.Prelude(user, ComputerNames, Thumbprint) + script, password ?? AdminPassword, timeout, environment);

    /// <summary>Starts a client script in the background, with the same prelude as <see cref="RunClientAsync"/>.</summary>
    public System.Diagnostics.Process StartClient(string script)
        => PwshClient.Start(PwshClient.Prelude(AdminUser, ComputerNames, Thumbprint) + script, AdminPassword);

    public async ValueTask DisposeAsync()
    {
        foreach (EndpointInstance instance in _running)
        {
            await instance.DisposeAsync();
        }

        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A killed host may still be releasing a file; the temp directory is cleaned by the OS later.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
