using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pep.Core.Deployment;
using Pep.Core.Storage;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// A class fixture: three simulated hosts (network namespaces), each running one etcd member and one endpoint
/// instance (ERCS01..03) from its own bundle made by <c>pep init --store etcd --bundle-dir</c>. Everything is
/// killed and removed on dispose, also after a failure.
/// </summary>
public sealed class ThreeHostCluster : IAsyncLifetime
{
    public const int Port = 4443;
    public const string AdminUser = @"AZURESTACK\cloudadmin";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-test-hosts-" + Guid.NewGuid().ToString("N")[..12]);

    // etcd's data on tmpfs: its fsyncs on a disk shared with other test runs would stall it for seconds.
    private readonly string _etcdData = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "pep-test-etcd-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<EtcdMember> _members = [];
    private readonly Dictionary<int, EndpointInstance> _instances = [];
    private NetworkLab? _lab;

    public NetworkLab Lab => _lab ?? throw new InvalidOperationException("Not started.");

    public string AdminPassword { get; } = "Pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "-lower";

    public string Thumbprint { get; private set; } = "";

    public string BundleDirectory => Path.Combine(_root, "bundles");

    public StateLayout Bundle(int host) => new(Path.Combine(BundleDirectory, InstanceName(host)));

    public static string InstanceName(int host) => $"ERCS0{host}";

    /// <summary>One or more hosts as New-PepSession's -ComputerName takes them: <c>'10.213.x.11:4443', …</c>.</summary>
    public string ComputerNames(params int[] hosts) => string.Join(", ", hosts.Select(h => $"'{Lab.Address(h)}:{Port}'"));

    public EndpointInstance Instance(int host) => _instances[host];

    public async Task InitializeAsync()
    {
        _lab = await NetworkLab.CreateAsync(3);
        Directory.CreateDirectory(_root);
        string token = "pep-test-" + Guid.NewGuid().ToString("N")[..8];
        string initialCluster = string.Join(",", Enumerable.Range(1, 3).Select(h => $"etcd{h}=http://{Lab.Address(h)}:2380"));
        for (int host = 1; host <= 3; host++)
        {
            (string file, IReadOnlyList<string> arguments) = Lab.Inside(host, "etcd",
                EtcdMember.ClusterArguments($"etcd{host}", Lab.Address(host), Path.Combine(_etcdData, $"etcd{host}"), initialCluster, token));
            var member = new EtcdMember($"etcd{host}", file, arguments);
            _members.Add(member);
            member.Start();
        }

        await Task.WhenAll(_members.Select(m => m.WaitReadyAsync(TimeSpan.FromSeconds(30))));

        ProcessResult init = await ProcessRunner.RunAsync("dotnet",
        [
            RepositoryPaths.PepDll, "init", "--bundle-dir", BundleDirectory, "--password-env", "PEP_TEST_INIT_PASSWORD", "--store", "etcd",
            .. Enumerable.Range(1, 3).SelectMany(h => new[] { "--etcd-endpoint", $"http://{Lab.Address(h)}:2379" }),
            .. Enumerable.Range(1, 3).SelectMany(h => new[] { "--instance", $"{InstanceName(h)}={Lab.Address(h)}:{Port}" }),
        ], new Dictionary<string, string> { ["PEP_TEST_INIT_PASSWORD"] = AdminPassword });
        Assert.True(init.ExitCode == 0, $"pep init --bundle-dir failed: {init}");
        // A real deployment copies each bundle to its host; here they stay side by side in one folder (0700, root's),
        // which each instance's gateway, once it has dropped to its own account, must be able to pass through. Each
        // bundle keeps its own private mode.
        File.SetUnixFileMode(BundleDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        for (int host = 1; host <= 3; host++)
        {
            // Tests spend an account's budget in three failures without slow-down; a store outage shows within 8 s.
            DeploymentConfig config = DeploymentConfig.Load(Bundle(host).ConfigFile);
            config = config with
            {
                Limits = config.Limits with { AccountFailuresPerWindow = 3, LoginFailuresBeforeSlowdown = 10 },
                Store = config.Store! with { OperationTimeoutSeconds = 8 },
            };
            config.Save(Bundle(host).ConfigFile);
            Thumbprint = config.TlsCertificateThumbprint!;
        }

        await Task.WhenAll(Enumerable.Range(1, 3).Select(async host =>
        {
            EndpointInstance instance = await EndpointInstance.StartAsync(Bundle(host).Root, InstanceName(host), Lab.Namespace(host));
            lock (_instances)
            {
                _instances[host] = instance;
            }
        }));
    }

    /// <summary>Runs the real pwsh client (in the root namespace: it reaches every host over the bridge).</summary>
    public Task<ProcessResult> RunClientAsync(string script, string computerNames, string user = AdminUser, string? password = null)
        => PwshClient.RunAsync(PwshClient.Prelude(user, computerNames, Thumbprint) + script, password ?? AdminPassword);

    /// <summary>Runs <c>pep</c> inside a host, on that host's bundle; the password travels in PEP_TEST_PASSWORD.</summary>
    public Task<ProcessResult> RunPepOnHostAsync(int host, string password, params string[] arguments)
    {
        (string file, IReadOnlyList<string> inside) = Lab.Inside(host, "dotnet", [RepositoryPaths.PepDll, .. arguments]);
        return ProcessRunner.RunAsync(file, inside, new Dictionary<string, string> { ["PEP_TEST_PASSWORD"] = password });
    }

    /// <summary>The shared state as an instance opens it (from the root namespace, through host 1's bundle).</summary>
    public SharedState OpenSharedState(int host = 1)
    {
        StateLayout layout = Bundle(host);
        return SharedState.Open(layout, DeploymentConfig.Load(layout.ConfigFile));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(int host)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), Thumbprint, StringComparison.OrdinalIgnoreCase),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using HttpResponseMessage response = await client.GetAsync(new Uri($"https://{Lab.Address(host)}:{Port}/health"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Waits until the host's health endpoint reports the store as <paramref name="store"/>.</summary>
    public async Task WaitForStoreAsync(int host, string store, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            (HttpStatusCode _, JsonElement body) = await HealthAsync(host);
            last = body.ToString();
            if (body.GetProperty("store").GetString() == store)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{InstanceName(host)} did not report store '{store}' within {timeout.TotalSeconds} s; last health: {last}");
    }

    /// <summary>The host is lost: its endpoint instance and etcd member die with its network.</summary>
    public async Task LoseHostAsync(int host)
    {
        _instances[host].Kill();
        await _members[host - 1].StopAsync();
        await Lab.RemoveHostAsync(host);
    }

    public Task StopAllEtcdAsync() => Task.WhenAll(_members.Select(m => m.StopAsync()));

    public async Task StartAllEtcdAsync()
    {
        _members.ForEach(m => m.Start());
        await Task.WhenAll(_members.Select(m => m.WaitReadyAsync(TimeSpan.FromSeconds(30))));
    }

    public async Task DisposeAsync()
    {
        foreach (EndpointInstance instance in _instances.Values)
        {
            await instance.DisposeAsync();
        }

        foreach (EtcdMember member in _members)
        {
            await member.DisposeAsync();
        }

        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
            if (Directory.Exists(_etcdData))
            {
                Directory.Delete(_etcdData, recursive: true);
            }
        }
        catch (IOException)
        {
            // A killed process may still be releasing a file; the temp directory is cleaned by the OS later.
        }
    }
}
