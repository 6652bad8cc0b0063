using System.Diagnostics;
using System.Text;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// One real etcd member (Debian's etcd-server), run as a process, optionally inside a lab host's namespace.
/// Ready once it logs that it serves client requests (which needs a quorum). Can be stopped and started
/// again on the same data directory.
/// </summary>
public sealed class EtcdMember : IAsyncDisposable
{
    private readonly string _fileName;
    private readonly IReadOnlyList<string> _arguments;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EtcdMember(string name, string fileName, IReadOnlyList<string> arguments)
    {
        Name = name;
        _fileName = fileName;
        _arguments = arguments;
    }

    public string Name { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The etcd command line for a member of a cluster of members listening on plain http (peers and clients).</summary>
    public static IReadOnlyList<string> ClusterArguments(string name, string address, string dataDirectory, string initialCluster, string token)
        =>
        [
            "--name", name, "--data-dir", dataDirectory,
            "--listen-client-urls", $"http://{address}:2379", "--advertise-client-urls", $"http://{address}:2379",
            "--listen-peer-urls", $"http://{address}:2380", "--initial-advertise-peer-urls", $"http://{address}:2380",
            "--initial-cluster", initialCluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
            // A lost leader is replaced in about two seconds, and a busy machine does not make the members
            // think their leader is gone.
            "--heartbeat-interval", "200", "--election-timeout", "2000",
        ];

    /// <summary>Starts the process; <see cref="WaitReadyAsync"/> waits until it serves clients.</summary>
    public void Start()
    {
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startInfo = new ProcessStartInfo(_fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in _arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["ETCD_UNSUPPORTED_ARCH"] = "";
        Process process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(_ready.Task, Task.Delay(timeout));
        if (finished != _ready.Task)
        {
            throw new TimeoutException($"etcd member {Name} did not serve clients within {timeout.TotalSeconds} s:\n{Log}");
        }
    }

    /// <summary>SIGKILL, as a host losing power: the member gets no chance to leave the cluster.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (line.Contains("ready to serve client requests", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
