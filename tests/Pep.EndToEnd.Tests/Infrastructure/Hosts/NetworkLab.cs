using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// Simulated hosts on this machine: one network namespace per host, each with a veth pair to a bridge in
/// the root namespace that has an address too, so the test (and the pwsh client) reach every host and the
/// hosts reach each other across real interfaces. Addresses are in 10.213.0.0/16, only on interfaces made
/// here; nothing is routed off the machine. Names carry the creating process id, so a later run can tell a
/// stale lab (its process is gone) from a concurrent one and clean only the former.
/// </summary>
public sealed partial class NetworkLab : IAsyncDisposable
{
    private static int _labs;
    private readonly string _bridge;
    private readonly List<string> _namespaces;
    private readonly HashSet<int> _removed = [];

    private NetworkLab(string bridge, string subnet, List<string> namespaces)
    {
        _bridge = bridge;
        Subnet = subnet;
        _namespaces = namespaces;
    }

    /// <summary>The first three octets, e.g. <c>10.213.42</c>.</summary>
    public string Subnet { get; }

    /// <summary>The root namespace's address on the bridge.</summary>
    public string GatewayAddress => $"{Subnet}.1";

    public int HostCount => _namespaces.Count;

    /// <summary>Host 1..n's address.</summary>
    public string Address(int host) => $"{Subnet}.{10 + host}";

    public string Namespace(int host) => _namespaces[host - 1];

    public static async Task<NetworkLab> CreateAsync(int hosts)
    {
        await RequireNamespacesAsync();
        await RemoveStaleLabsAsync();
        int pid = Environment.ProcessId;
        int lab = Interlocked.Increment(ref _labs);
        string bridge = $"pb{lab}-{pid}";
        string subnet = await FreeSubnetAsync(pid, lab);
        var namespaces = new List<string>();
        var created = new NetworkLab(bridge, subnet, namespaces);
        try
        {
            await IpAsync("link", "add", bridge, "type", "bridge");
            await IpAsync("addr", "add", $"{subnet}.1/24", "dev", bridge);
            await IpAsync("link", "set", bridge, "up");
            for (int host = 1; host <= hosts; host++)
            {
                string ns = $"pep-test-{pid}-{lab}-{host}";
                string outside = $"pv{lab}-{pid}-{host}", inside = $"pn{lab}-{pid}-{host}";
                await IpAsync("netns", "add", ns);
                namespaces.Add(ns);
                await IpAsync("link", "add", outside, "type", "veth", "peer", "name", inside);
                await IpAsync("link", "set", inside, "netns", ns);
                await IpAsync("link", "set", outside, "master", bridge);
                await IpAsync("link", "set", outside, "up");
                await IpAsync("-n", ns, "addr", "add", $"{subnet}.{10 + host}/24", "dev", inside);
                await IpAsync("-n", ns, "link", "set", inside, "up");
                await IpAsync("-n", ns, "link", "set", "lo", "up");
            }
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    /// <summary>The file name and arguments that run a program inside host <paramref name="host"/>'s namespace.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Inside(int host, string fileName, params IEnumerable<string> arguments)
        => ("ip", ["netns", "exec", Namespace(host), fileName, .. arguments]);

    /// <summary>The host is gone: every process in its namespace is killed and the namespace (with its interfaces) deleted.</summary>
    public async Task RemoveHostAsync(int host)
    {
        if (_removed.Add(host))
        {
            await DeleteNamespaceAsync(Namespace(host));
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (int host = 1; host <= _namespaces.Count; host++)
        {
            await RemoveHostAsync(host);
        }

        await IpAsync(check: false, "link", "del", _bridge);
    }

    /// <summary>Fails with the reason when this machine cannot make network namespaces (these tests need root).</summary>
    private static async Task RequireNamespacesAsync()
    {
        string probe = $"pep-test-{Environment.ProcessId}-probe";
        ProcessResult add = await ProcessRunner.RunAsync("ip", ["netns", "add", probe]);
        if (add.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"These tests simulate three hosts with network namespaces and need root with 'ip netns add' working (iproute2); it failed here:\n{add}");
        }

        await IpAsync("netns", "del", probe);
    }

    private static async Task RemoveStaleLabsAsync()
    {
        ProcessResult list = await ProcessRunner.RunAsync("ip", ["netns", "list"]);
        foreach (Match match in StaleNamespace().Matches(list.StandardOutput))
        {
            if (!IsAlive(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)))
            {
                await DeleteNamespaceAsync(match.Groups[1].Value);
            }
        }

        ProcessResult links = await ProcessRunner.RunAsync("ip", ["-o", "link", "show", "type", "bridge"]);
        foreach (Match match in StaleBridge().Matches(links.StandardOutput))
        {
            if (!IsAlive(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)))
            {
                await IpAsync(check: false, "link", "del", match.Groups[1].Value);
            }
        }
    }

    private static async Task DeleteNamespaceAsync(string ns)
    {
        // Processes keep running after 'ip netns del'; they were started by a test run in this namespace.
        ProcessResult pids = await ProcessRunner.RunAsync("ip", ["netns", "pids", ns]);
        foreach (string line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, CultureInfo.InvariantCulture, out int pid))
            {
                try
                {
                    using Process process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        await IpAsync(check: false, "netns", "del", ns);
    }

    private static async Task<string> FreeSubnetAsync(int pid, int lab)
    {
        string addresses = (await ProcessRunner.RunAsync("ip", ["-4", "-o", "addr", "show"])).StandardOutput;
        for (int i = 0; i < 250; i++)
        {
            string subnet = $"10.213.{(pid + lab * 37 + i) % 250 + 1}";
            if (!addresses.Contains($" {subnet}.", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("No free 10.213.x.0/24 subnet for the test hosts.");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Task IpAsync(params string[] arguments) => IpAsync(check: true, arguments);

    private static async Task IpAsync(bool check, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", arguments, timeout: TimeSpan.FromSeconds(30));
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed:\n{result}");
        }
    }

    [GeneratedRegex(@"^(pep-test-(\d+)-\S+)", RegexOptions.Multiline)]
    private static partial Regex StaleNamespace();

    [GeneratedRegex(@"^\d+:\s+(pb\d+-(\d+))[:@]", RegexOptions.Multiline)]
    private static partial Regex StaleBridge();
}
