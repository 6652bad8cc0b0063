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

    /// <summary>Starts <c>pep serve</c>; inside <paramref name="networkNamespace"/> when given (<c>ip netns exec</c> execs, so the pid is pep's).</summary>
    public static async Task<EndpointInstance> StartAsync(string stateDirectory, string name, string? networkNamespace = null)
    {
        var startInfo = new ProcessStartInfo(networkNamespace is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] prefix = networkNamespace is null ? [] : ["netns", "exec", networkNamespace, "dotnet"];
        foreach (string argument in prefix.Concat([RepositoryPaths.PepDll, "serve", "--state", stateDirectory, "--instance", name]))
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

        if (line.StartsWith("pep: ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>SIGKILL: the instance dies with no chance to clean up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
