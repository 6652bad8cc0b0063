using System.Diagnostics;
using System.Text;
using Pep.Core.Contracts.Broker;
using Pep.Core.Sessions;
using Pep.Gateway.Broker;
using Pep.Gateway.Containment;
using Pep.Gateway.Relay;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// One session host: <c>pwsh -s -ConfigurationFile …</c> serving PSRP on its standard input and output,
/// one line per PSRP message. It runs as a session account of its own (<see cref="HostLaunchCommand"/>), or, without
/// separation, as the gateway's account; the session's rights come from what the session configuration exposes. With
/// containment on it lives in its session's cgroup from its first instruction, and ending it ends everything it
/// started (<see cref="SessionCgroup"/>).
/// </summary>
internal sealed class SessionHostProcess : ISessionHost, IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly SessionCgroup? _cgroup;

    /// <summary>The client's lines and the gateway's own Close packet share the host's input.</summary>
    private readonly SemaphoreSlim _inputLock = new(1, 1);

    private SessionHostProcess(Process process, SessionBroker broker, SessionCgroup? cgroup)
    {
        _process = process;
        Broker = broker;
        _cgroup = cgroup;

        // Process gives stdin a writer that flushes on every write: a line and its newline went to the host as two
        // writes, and the host woke up twice for one message (seen with strace). One flush per line instead.
        _process.StandardInput.AutoFlush = false;
    }

    public int ProcessId => _process.Id;

    /// <summary>The session's broker, which this host (and only it) may use; closed with the host.</summary>
    public SessionBroker Broker { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.HasExited ? _process.ExitCode : -1;

    /// <summary>Starts a host for a login: the identity and cultures are in its environment from the start.</summary>
    public static SessionHostProcess Start(HostLaunchCommand command, SessionCgroup? cgroup, SessionIdentity identity, string? posixLocale, string startupHookAssembly, string uiCulture, SessionBroker broker)
    {
        ProcessStartInfo startInfo = CreateStartInfo(command, identity.StateDirectory, broker);
        foreach ((string name, string value) in identity.ToEnvironment())
        {
            startInfo.Environment[name] = value;
        }

        if (posixLocale is not null)
        {
            SetLocale(startInfo, posixLocale);
        }

        SetUICulture(startInfo, startupHookAssembly, uiCulture);
        return Launch(startInfo, broker, cgroup);
    }

    /// <summary>
    /// .NET on Linux takes its culture from the POSIX locale, once, at start: this is how the session runs in the
    /// culture the client asked for (the server side of PSRP ignores the client's culture otherwise).
    /// </summary>
    private static void SetLocale(ProcessStartInfo startInfo, string posixLocale)
    {
        startInfo.Environment["LANG"] = posixLocale;
        startInfo.Environment["LC_ALL"] = posixLocale;
    }

    /// <summary>The endpoint's startup hook sets the UI culture before pwsh's own start, which fixes it (see <c>SessionUICulture</c>).</summary>
    private static void SetUICulture(ProcessStartInfo startInfo, string startupHookAssembly, string uiCulture)
    {
        startInfo.Environment[SessionHandover.StartupHooksVariable] = startupHookAssembly;
        startInfo.Environment[SessionHandover.UICultureVariable] = uiCulture;
    }

    /// <summary>
    /// Starts a warm host before any login: the endpoint's startup hook warms it up with
    /// <paramref name="warmConfigurationFile"/>; its session reads its identity from <paramref name="handoverFile"/>,
    /// which the gateway writes when a login takes it.
    /// </summary>
    public static SessionHostProcess StartWarm(HostLaunchCommand command, SessionCgroup? cgroup, string stateDirectory, string warmConfigurationFile, string startupHookAssembly, string handoverFile, string posixLocale, string uiCulture, SessionBroker broker)
    {
        ProcessStartInfo startInfo = CreateStartInfo(command, stateDirectory, broker);
        SetLocale(startInfo, posixLocale);
        SetUICulture(startInfo, startupHookAssembly, uiCulture);
        startInfo.Environment[SessionHandover.WarmConfigurationVariable] = warmConfigurationFile;
        startInfo.Environment[SessionHandover.FileVariable] = handoverFile;
        return Launch(startInfo, broker, cgroup);
    }

    /// <summary>The program, its arguments and environment from <paramref name="command"/>; nothing of the gateway's identity variables.</summary>
    private static ProcessStartInfo CreateStartInfo(HostLaunchCommand command, string stateDirectory, SessionBroker broker)
    {
        IReadOnlyList<string> argv = command.Compose();
        var startInfo = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            WorkingDirectory = stateDirectory,
        };

        // Arguments are fixed; the only variable parts are paths the gateway generated itself.
        foreach (string argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The host must not inherit an identity, or a startup hook, from the gateway's own environment.
        foreach (string name in startInfo.Environment.Keys
                     .Where(name => SessionIdentity.IsIdentityVariable(name) || name is SessionHandover.StartupHooksVariable or SessionHandover.WarmConfigurationVariable or SessionHandover.FileVariable or SessionHandover.UICultureVariable or BrokerSocket.Variable)
                     .ToList())
        {
            startInfo.Environment.Remove(name);
        }

        foreach ((string name, string value) in command.Environment())
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment[BrokerSocket.Variable] = broker.Path;
        return startInfo;
    }

    /// <summary>Starts the host; from then on its broker serves the host's process (and what it starts), and nothing else.</summary>
    private static SessionHostProcess Launch(ProcessStartInfo startInfo, SessionBroker broker, SessionCgroup? cgroup)
    {
        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("pwsh did not start.");
        broker.AdmitHost(BrokerPeerPolicy.ForHost(process.Id, broker.HostUid));
        return new SessionHostProcess(process, broker, cgroup);
    }

    /// <summary>The session's cgroup; null when the gateway runs without containment.</summary>
    public SessionCgroup? Cgroup => _cgroup;

    /// <summary>Writes one PSRP line to the host.</summary>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _inputLock.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteAsync(line.AsMemory(), cancellationToken);
            await _process.StandardInput.WriteAsync("\n".AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        finally
        {
            _inputLock.Release();
        }
    }

    /// <summary>
    /// Closes the session inside the host as a client's Remove-PSSession does: PowerShell closes its runspace pool,
    /// tells the client (whose PSSession goes to Closed, with no error) and acknowledges.
    /// </summary>
    public Task CloseSessionAsync(CancellationToken cancellationToken) => WriteLineAsync(OutOfProcessPackets.CloseSession, cancellationToken);

    /// <summary>
    /// Reads one PSRP line from the host, blocking; null when the host closed its output (exited). For a thread of
    /// its own: a blocked read wakes as soon as the host writes, where an asynchronous one waits for the runtime's
    /// event thread to hand it to a pool thread (1 to 3 ms per message on a busy machine, measured with strace).
    /// </summary>
    public string? ReadLine() => _process.StandardOutput.ReadLine();

    public Task<string?> ReadDiagnosticLineAsync(CancellationToken cancellationToken)
        => _process.StandardError.ReadLineAsync(cancellationToken).AsTask();

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits at most <paramref name="limit"/> for the host to exit; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            using var timeout = new CancellationTokenSource(limit);
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes the host's input (PowerShell's server mode exits on end of input) and waits a while for it to exit.</summary>
    public async Task EndInputAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already gone: the caller kills it either way.
        }

        await WaitForExitAsync(grace);
    }

    /// <summary>
    /// Ends the host and everything it started (an elevated session may have started programs, detached or not): the
    /// whole cgroup at once, then waits for the kernel to have ended them. Without containment, the host's process
    /// tree (which misses what was detached from it).
    /// </summary>
    public void Kill()
    {
        if (_cgroup is not null)
        {
            _cgroup.KillAndRemove();
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; the runtime reaps it later.
        }

        await Broker.DisposeAsync();
        _process.Dispose();
        _inputLock.Dispose();
    }
}
