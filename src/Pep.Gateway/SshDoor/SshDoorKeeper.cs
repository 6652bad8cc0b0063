using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Ssh;
using Pep.Gateway.Hosting;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// The part of an instance's SSH door that needs root, and nothing else: the <c>pep-ssh</c> account, the host key, the
/// sshd configuration and PAM service, sshd itself (which must start as root to authenticate other users), and the
/// extrausers lines that make the store's accounts exist for sshd. It holds no key of the endpoint, opens no store and
/// takes no login: passwords and keys are checked by the gateway, through the sockets the gateway serves in the runtime
/// folder this keeper gives it. Under <c>pep serve</c> as root it runs as a process of its own
/// (<c>pep ssh-door-keeper</c>), started before the gateway drops to its account; the demo, whose gateways stay root in
/// one process, runs it in the gateway's process.
/// </summary>
public sealed class SshDoorKeeper : IDisposable
{
    /// <summary>The folder OpenSSH's unprivileged pre-authentication child is chrooted to (Debian's ssh.service makes it too).</summary>
    private const string PrivilegeSeparationDirectory = "/run/sshd";

    private const UnixFileMode Entered = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode Listed = Entered | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>How often the gateway's list of account names is looked at (a new account logs in over SSH after at most this more).</summary>
    private static readonly TimeSpan NamesPoll = TimeSpan.FromSeconds(1);

    private readonly SshDoorLayout _layout;
    private readonly SshDaemon _daemon;
    private readonly bool _wrotePamService;
    private readonly int _sessionUid;
    private readonly int _sessionGid;
    private readonly ILogger _logger;
    private readonly Timer _names;
    private DateTime _namesWritten;
    private string? _lastRefusal;

    private SshDoorKeeper(SshDoorLayout layout, SshDaemon daemon, bool wrotePamService, int sessionUid, int sessionGid, ILogger logger)
    {
        _layout = layout;
        _daemon = daemon;
        _wrotePamService = wrotePamService;
        _sessionUid = sessionUid;
        _sessionGid = sessionGid;
        _logger = logger;
        _names = new Timer(_ => AddAccountNames(), null, TimeSpan.Zero, NamesPoll);
    }

    public SshDoorKeeperStatus Status => new(Environment.ProcessId, _daemon.ProcessId, _daemon.Port, _sessionUid, _sessionGid);

    public bool IsRunning => _daemon.IsRunning;

    /// <summary>
    /// Prepares the door for the gateway running as <paramref name="gatewayUid"/> and starts sshd; returns once sshd
    /// listens, with the status written for the gateway. Throws with the reason when the door cannot run.
    /// </summary>
    public static async Task<SshDoorKeeper> StartAsync(
        SshDoorLayout layout, string listenAddress, int port, string helperPath, GatewayLimits limits, int gatewayUid, int gatewayGid,
        ILogger logger, Action<int> sshdExited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        SessionAccount account = SessionAccount.Ensure();
        NameService.Check();
        string fingerprint = await SshHostKey.EnsureAsync(layout, cancellationToken);
        PrepareRuntimeRoot(layout);
        PrepareRuntimeDirectory(layout, gatewayUid, gatewayGid);
        File.WriteAllText(layout.ConfigFile, SshdConfigText.Create(layout, listenAddress, port == 0 ? FreePort(listenAddress) : port, helperPath, limits));
        bool wrotePamService = WritePamService(layout, helperPath);
        File.Delete(layout.DaemonLink);
        File.CreateSymbolicLink(layout.DaemonLink, "/usr/sbin/sshd");
        SshDaemon daemon;
        try
        {
            daemon = await SshDaemon.StartAsync(layout.DaemonLink, layout.ConfigFile, logger, sshdExited);
        }
        catch when (wrotePamService)
        {
            File.Delete(layout.PamServiceFile);
            throw;
        }

        var keeper = new SshDoorKeeper(layout, daemon, wrotePamService, account.Uid, account.Gid, logger);
        keeper.Status.Write(layout.KeeperStatusFile);
        GatewayLog.SshDoorKeeperStarted(logger, layout.Id, daemon.Port, daemon.ProcessId, fingerprint, gatewayUid);
        return keeper;
    }

    /// <summary>
    /// <c>pep ssh-door-keeper</c>: runs the door for the gateway that is this process's parent until the gateway asks it
    /// to stop (SIGTERM, which CAP_KILL lets the gateway send), the gateway is gone (its parent changes: a gateway killed
    /// for real takes its door with it), or sshd exits. Returns the process's exit code.
    /// </summary>
    public static async Task<int> RunAsync(
        SshDoorLayout layout, string listenAddress, int port, string helperPath, GatewayLimits limits, int gatewayUid, int gatewayGid,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using ILoggerFactory factory = LoggerFactory.Create(logging => logging.AddGatewayConsole());
        ILogger logger = factory.CreateLogger<SshDoorKeeper>();
        int gateway = PosixProcess.ParentId;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stopping.Cancel(); });
        SshDoorKeeper keeper;
        try
        {
            keeper = await StartAsync(layout, listenAddress, port, helperPath, limits, gatewayUid, gatewayGid, logger,
                code => SshdExited(logger, code, stopping), stopping.Token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or DeploymentException
                                       or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            GatewayLog.SshDoorFailed(logger, e.Message);
            return 1;
        }

        using (keeper)
        {
            using var watch = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (PosixProcess.ParentId == gateway && await watch.WaitForNextTickAsync(stopping.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
                // Asked to stop, or sshd exited.
            }

            GatewayLog.SshDoorKeeperStopping(logger, layout.Id, PosixProcess.ParentId != gateway ? "its gateway is gone"
                : keeper.IsRunning ? "its gateway asked it to" : "sshd exited");
        }

        return 0;
    }

    private static void SshdExited(ILogger logger, int code, CancellationTokenSource stopping)
    {
        GatewayLog.SshDaemonExited(logger, code);
        try
        {
            stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The keeper stopped sshd itself and has finished.
        }
    }

    /// <summary>
    /// What the door needs outside the state directory, made as root before a sandboxed keeper starts
    /// (<c>pep ssh-door-keeper --prepare</c>, the <c>ExecStartPre=+</c> of deploy/systemd/pep-ssh-door@.service, where
    /// /etc is read-only for the keeper and sshd): the <c>pep-ssh</c> account, the instance's PAM service, the folders
    /// the unit lets the keeper write (<c>/run/pep-ssh</c> emptied of this instance's leftovers, the extrausers folder) and
    /// sshd's privilege separation folder. The keeper then finds them in place and writes nothing in /etc. Idempotent.
    /// </summary>
    public static void PrepareSystem(SshDoorLayout layout, string helperPath)
    {
        ArgumentNullException.ThrowIfNull(layout);
        SessionAccount.Ensure();
        WritePamService(layout, helperPath);
        Directory.CreateDirectory(Path.GetDirectoryName(ExtraUsersFile.PasswdPath)!, Listed);
        Directory.CreateDirectory(PrivilegeSeparationDirectory, Listed);
        PrepareRuntimeRoot(layout);
    }

    /// <summary>
    /// The instance's PAM service, written only when it is missing or not this door's (so that a keeper under the unit,
    /// whose /etc is read-only, finds it as <see cref="PrepareSystem"/> left it); true when this call wrote it.
    /// </summary>
    private static bool WritePamService(SshDoorLayout layout, string helperPath)
    {
        string service = SshdConfigText.PamService(layout, helperPath);
        if (File.Exists(layout.PamServiceFile) && File.ReadAllText(layout.PamServiceFile) == service)
        {
            return false;
        }

        File.WriteAllText(layout.PamServiceFile, service);
        return true;
    }

    /// <summary>
    /// <c>/run/pep-ssh</c> is root's (entered by all, listed by none); a leftover of this instance's previous run (its
    /// status, its folder, which its gateway owned) is removed.
    /// </summary>
    private static void PrepareRuntimeRoot(SshDoorLayout layout)
    {
        Directory.CreateDirectory(SshDoorLayout.RuntimeRoot, Entered);
        PosixOwnership.Change(SshDoorLayout.RuntimeRoot, 0, 0);
        File.SetUnixFileMode(SshDoorLayout.RuntimeRoot, Entered);
        File.Delete(layout.KeeperStatusFile);
        if (new FileInfo(layout.RuntimeDirectory).LinkTarget is not null)
        {
            File.Delete(layout.RuntimeDirectory);
        }
        else if (Directory.Exists(layout.RuntimeDirectory))
        {
            Directory.Delete(layout.RuntimeDirectory, recursive: true);
        }
    }

    /// <summary>The instance's folder in <c>/run/pep-ssh</c> is the gateway's, which binds its sockets there and writes the account names.</summary>
    private static void PrepareRuntimeDirectory(SshDoorLayout layout, int gatewayUid, int gatewayGid)
    {
        Directory.CreateDirectory(layout.RuntimeDirectory, Entered);
        PosixOwnership.Change(layout.RuntimeDirectory, gatewayUid, gatewayGid);
        File.SetUnixFileMode(layout.RuntimeDirectory, Entered);
    }

    /// <summary>A port free now on the door's address, for <c>--ssh-port 0</c> (sshd takes no port 0).</summary>
    private static int FreePort(string listenAddress)
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(listenAddress), 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private void AddAccountNames()
    {
        try
        {
            DateTime written = File.GetLastWriteTimeUtc(_layout.AccountNamesFile);
            if (written == _namesWritten)
            {
                return;
            }

            IReadOnlyList<string>? names = SshDoorAccountNames.Read(_layout.AccountNamesFile, out string? refusal);
            if (names is null)
            {
                if (refusal != _lastRefusal)
                {
                    GatewayLog.SshDoorAccountNamesRefused(_logger, refusal ?? "?");
                    _lastRefusal = refusal;
                }

                return;
            }

            ExtraUsersFile.AddMissing(names, _sessionUid, _sessionGid);
            _namesWritten = written;
            _lastRefusal = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The next look tries again; logins of accounts already there are not affected.
            GatewayLog.SshDoorConnectionRefused(_logger, "accounts", $"the accounts could not be made known to sshd now: {e.Message}");
        }
    }

    /// <summary>Stops sshd (sessions it already handed on end with their own sshd processes) and removes what only a running door needs.</summary>
    public void Dispose()
    {
        _names.Dispose();
        _daemon.Dispose();
        File.Delete(_layout.KeeperStatusFile);
        if (_wrotePamService)
        {
            // A PAM service made by PrepareSystem stays for the unit's next start (the keeper may not write /etc there).
            File.Delete(_layout.PamServiceFile);
        }
    }
}
