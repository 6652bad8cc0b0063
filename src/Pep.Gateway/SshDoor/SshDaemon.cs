using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// The real OpenSSH sshd of one instance's SSH door, run in the foreground (<c>-D</c>, logging to stderr with <c>-e</c>)
/// as a child of the gateway, through the link that gives it the instance's own PAM service. Its log lines go to the
/// gateway's log. It starts with an empty environment, so that the only locale a session sees is one its client sent.
/// </summary>
internal sealed partial class SshDaemon : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;

    /// <summary>Set once the door stops sshd itself: its exit is then no failure to report.</summary>
    private volatile bool _stopping;

    private SshDaemon(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
    }

    public int ProcessId => _process.Id;

    /// <summary>The port sshd listens on (it says so in its log; with port 0 it is the one it was given).</summary>
    public int Port { get; private set; }

    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts sshd and waits until it listens; throws with sshd's own words when it does not.</summary>
    public static async Task<SshDaemon> StartAsync(string program, string configFile, ILogger logger, Action<int> exited)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (string argument in (string[])["-D", "-e", "-f", configFile])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"'{program}' did not start.");
        var daemon = new SshDaemon(process, logger);
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, line) => daemon.OnLine(line.Data);
        process.OutputDataReceived += (_, line) => daemon.OnLine(line.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.Exited += (_, _) =>
        {
            daemon._listening.TrySetException(new InvalidOperationException($"sshd exited (code {process.ExitCode}) before it listened; its log says why."));
            if (!daemon._stopping)
            {
                exited(process.ExitCode);
            }
        };

        Task finished = await Task.WhenAny(daemon._listening.Task, Task.Delay(StartLimit));
        if (finished != daemon._listening.Task)
        {
            daemon.Dispose();
            throw new TimeoutException($"sshd did not listen within {StartLimit.TotalSeconds} s.");
        }

        daemon.Port = await daemon._listening.Task;
        return daemon;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        GatewayLog.SshDaemonLine(_logger, line);
        Match listening = ListeningLine().Match(line);
        if (listening.Success)
        {
            _listening.TrySetResult(int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Ends the listener. Connections it already handed to their own sshd processes end with their sessions.</summary>
    public void Dispose()
    {
        _stopping = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^Server listening on \S+ port (\d+)\.$", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
