using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Platform;
using Pep.Core.Deployment;
using Pep.Core.Ssh;
using Pep.Core.Storage;
using Pep.Gateway.Login;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// One instance's SSH front door: sshd authenticates and carries the bytes; the gateway decides every login and runs
/// every session. The root part (sshd, its configuration and PAM service, the extrausers lines) is the door's
/// <see cref="SshDoorKeeper"/>: a process of its own when <c>pep serve</c> dropped root (<paramref name="keeperPid"/>),
/// this process's own when the gateway is root (the demo). The gateway serves the two sockets sshd's helpers reach
/// and hands the keeper the store's account names. A door that cannot start leaves the instance serving HTTPS, logs
/// why (event 1501) and says so on <c>/health</c> (<see cref="State"/>): it never runs an sshd it could not configure
/// and check.
/// </summary>
internal sealed class SshFrontDoor(
    SshDoorLayout layout, string listenAddress, int port, string helperPath, int? keeperPid, GatewayLimits limits, AccountService accounts,
    SshAuthServer auth, SessionStarter starter, SshLoginTickets tickets, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    /// <summary>How often the accounts of the store are handed to the keeper (a new account logs in over SSH after at most this).</summary>
    private static readonly TimeSpan AccountRefresh = TimeSpan.FromSeconds(10);

    /// <summary>How long a keeper started with <c>pep serve</c> may take to report a listening sshd (it makes the host key first).</summary>
    private static readonly TimeSpan KeeperStartLimit = TimeSpan.FromSeconds(45);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = [];
    private SshDoorKeeper? _ownKeeper;
    private SshDoorKeeperStatus? _keeper;
    private ITimer? _refresh;
    private string[]? _publishedNames;

    /// <summary><c>Running</c>, or <c>NotRunning</c> when it failed to start or sshd (or its keeper) exited.</summary>
    public string State => IsRunning ? "Running" : "NotRunning";

    /// <summary>The port sshd listens on; null when it does not run.</summary>
    public int? ListeningPort => IsRunning ? _keeper!.Port : null;

    private bool IsRunning => _keeper is { } keeper
        && (_ownKeeper is { } own ? own.IsRunning : PosixProcess.IsRunning(keeper.KeeperPid) && PosixProcess.IsRunning(keeper.SshdPid));

    public async Task StartAsync(string instanceName)
    {
        try
        {
            if (keeperPid is { } pid)
            {
                _keeper = await WaitForKeeperAsync(pid);
            }
            else if (PosixOwnership.IsRoot)
            {
                _ownKeeper = await SshDoorKeeper.StartAsync(layout, listenAddress, port, helperPath, limits, 0, 0, logger,
                    code => GatewayLog.SshDaemonExited(logger, code), _stopping.Token);
                _keeper = _ownKeeper.Status;
            }
            else
            {
                throw new InvalidOperationException("sshd must be started by root: start pep serve as root (it starts the door's keeper, then drops to the gateway's account).");
            }

            OpenSockets(_keeper.SessionUid);
            PublishAccountNames();
            _refresh = time.CreateTimer(_ => PublishAccountNames(), null, AccountRefresh, AccountRefresh);
            GatewayLog.SshDoorListening(logger, instanceName, listenAddress, _keeper.Port, _keeper.SshdPid, layout.Id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or DeploymentException
                                       or SocketException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            GatewayLog.SshDoorFailed(logger, e.Message);
            await DisposeAsync();
        }
    }

    /// <summary>The status the keeper <c>pep serve</c> started writes once its sshd listens (polled: the keeper is root's, not ours to wait on).</summary>
    private async Task<SshDoorKeeperStatus> WaitForKeeperAsync(int pid)
    {
        long started = time.GetTimestamp();
        while (true)
        {
            if (SshDoorKeeperStatus.Read(layout.KeeperStatusFile) is { } status && status.KeeperPid == pid)
            {
                return status;
            }

            if (!PosixProcess.IsRunning(pid) || time.GetElapsedTime(started) > KeeperStartLimit)
            {
                GatewayLog.SshDoorKeeperMissing(logger, pid, KeeperStartLimit.TotalSeconds);
                throw new TimeoutException($"the door's keeper (pid {pid}) did not start sshd; its own log lines above say why.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, _stopping.Token);
        }
    }

    /// <summary>The store's account names, for the keeper to make them exist for sshd.</summary>
    private void PublishAccountNames()
    {
        try
        {
            // Written only when the names changed: the keeper looks at the file every second, and each write is synced to disk.
            string[] names = [.. accounts.List().Select(record => record.User)];
            if (_publishedNames is not null && names.SequenceEqual(_publishedNames, StringComparer.Ordinal))
            {
                return;
            }

            SshDoorAccountNames.Write(layout.AccountNamesFile, names);
            _publishedNames = names;
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The next round tries again; logins of accounts already there are not affected.
            GatewayLog.SshDoorConnectionRefused(logger, "accounts", $"the accounts could not be made known to sshd now: {e.Message}");
        }
    }

    /// <summary>The auth socket for root only; the session socket for anyone to reach (the gateway checks each caller's uid and login).</summary>
    private void OpenSockets(int sessionUid)
    {
        Listen(layout.AuthSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite, connection => auth.HandleAsync(connection, _stopping.Token));
        var sessions = new SshSessionServer(starter, tickets, accounts.Domain, sessionUid, logger);
        Listen(layout.SessionSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite, sessions.HandleAsync);
    }

    private void Listen(string path, UnixFileMode mode, Func<Socket, Task> handle)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listeners.Add(listener);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, mode);
        listener.Listen(64);
        _ = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync(_stopping.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handle(connection);
                    }
                    catch (Exception e) when (e is SocketException or IOException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
                    {
                        GatewayLog.SshDoorConnectionRefused(logger, Path.GetFileName(path), e.Message);
                    }
                });
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_ownKeeper is not null)
        {
            _ownKeeper.Dispose();
            _ownKeeper = null;
        }
        else if (_keeper is not null)
        {
            // The keeper is root's: CAP_KILL lets the gateway ask it to stop (it also stops when the gateway is gone).
            PosixProcess.Terminate(_keeper.KeeperPid);
        }

        _keeper = null;
        if (_refresh is not null)
        {
            await _refresh.DisposeAsync();
        }

        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
        foreach (string file in (string[])[layout.AuthSocket, layout.SessionSocket, layout.AccountNamesFile])
        {
            File.Delete(file);
        }
    }
}
