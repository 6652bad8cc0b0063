using System.Diagnostics;
using System.Text;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>A running <c>pep serve</c> process. Ready once it printed its ready line; killed for real in fault tests.</summary>
public sealed class EndpointInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EndpointInstance(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    /// <summary>The port its SSH front door listens on (its "pep: ssh" line); null when it runs none.</summary>
    public int? SshPort { get; private set; }

    /// <summary>Everything the instance printed so far (its event log).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>pep serve</c>; inside <paramref name="networkNamespace"/> when given (<c>ip netns exec</c> execs, so the pid is pep's), with <paramref name="environment"/> added to its own.</summary>
    public static Task<EndpointInstance> StartAsync(string stateDirectory, string name, string? networkNamespace = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string[] prefix = networkNamespace is null ? ["dotnet"] : ["ip", "netns", "exec", networkNamespace, "dotnet"];
        return StartCommandAsync([.. prefix, RepositoryPaths.PepDll, "serve", "--state", stateDirectory, "--instance", name], name, environment);
    }

    /// <summary>Starts instance <paramref name="name"/> by a command line that runs <c>pep serve</c> (or execs it, for the pid to be pep's).</summary>
    public static async Task<EndpointInstance> StartCommandAsync(IReadOnlyList<string> argv, string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var startInfo = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        foreach (string argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var instance = new EndpointInstance(Process.Start(startInfo)!, name);
        instance._process.OutputDataReceived += (_, e) => instance.OnLine(e.Data);
        instance._process.ErrorDataReceived += (_, e) => instance.OnLine(e.Data);
        instance._process.BeginOutputReadLine();
        instance._process.BeginErrorReadLine();
        instance._process.EnableRaisingEvents = true;
        instance._process.Exited += (_, _) => instance._ready.TrySetException(new InvalidOperationException($"pep serve {name} exited with code {instance._process.ExitCode} before it was ready:\n{instance.Output}"));

        Task finished = await Task.WhenAny(instance._ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != instance._ready.Task)
        {
            await instance.DisposeAsync();
            throw new TimeoutException($"pep serve {name} was not ready within 60 s:\n{instance.Output}");
        }

        await instance._ready.Task;
        return instance;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("pep: ssh ", StringComparison.Ordinal))
        {
            SshPort = int.Parse(line.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        }

        if (line.StartsWith("pep: ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>SIGTERM, as a service manager stops the instance: it may end its sessions and exit cleanly.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    public Task WaitForExitAsync(TimeSpan limit) => _process.WaitForExitAsync(new CancellationTokenSource(limit).Token);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGKILL: the instance dies with no chance to clean up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public bool HasExited => _process.HasExited;

    /// <summary>Session hosts this instance runs now for sessions: cold ones, and warm ones a login has taken.</summary>
    public IReadOnlyList<int> SessionHostIds() => HostIds(serving: true);

    /// <summary>Warm session hosts waiting for a login.</summary>
    public IReadOnlyList<int> WarmHostIds() => HostIds(serving: false);

    /// <summary>
    /// This instance's child processes started with a session configuration. A warm host's environment names its
    /// hand-over file, which exists once a login took it; a cold host has its identity in its environment.
    /// </summary>
    private List<int> HostIds(bool serving)
    {
        var ids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) != _process.Id || !File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("-ConfigurationFile", StringComparison.Ordinal))
                {
                    continue;
                }

                string? handover = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0')
                    .FirstOrDefault(v => v.StartsWith("PEP_SESSION_HANDOVER=", StringComparison.Ordinal))?["PEP_SESSION_HANDOVER=".Length..];
                if ((handover is null || File.Exists(handover)) == serving)
                {
                    ids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return ids;
    }

    /// <summary>Waits until the condition holds, polling; fails the test with <paramref name="what"/> if it does not within the deadline.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
        => WaitUntilAsync(condition, () => what, deadline);

    /// <summary>Polls until the condition holds; the description is built at the deadline, so it can show the state then.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> what, TimeSpan? deadline = null)
    {
        DateTime end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException($"Still not true after {(deadline ?? TimeSpan.FromSeconds(30)).TotalSeconds} s: {what()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        // Bounded: WaitForExitAsync also waits for the end of the redirected output, which a process that left the
        // instance's tree (and holds the pipe) would never give; such a wait hung whole end-to-end runs after a class.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"pep serve {Name} (pid {_process.Id}): its output was still held open 30 s after it was killed; not waited for.");
        }

        _process.Dispose();
    }
}
