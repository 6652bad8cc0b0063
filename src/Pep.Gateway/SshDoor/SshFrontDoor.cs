using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Ssh;
using Pep.Core.Storage;
using Pep.Gateway.Login;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// One instance's SSH front door: sshd authenticates and carries the bytes; the gateway decides every login and runs
/// every session. Started by the gateway, after its HTTPS door is built; a door that cannot start leaves the instance
/// serving HTTPS, logs why (event 1501) and says so on <c>/health</c> (<see cref="State"/>): it never runs an sshd
/// it could not configure and check.
/// </summary>
internal sealed class SshFrontDoor(
    SshDoorLayout layout, string listenAddress, int port, string helperPath, GatewayLimits limits, AccountService accounts,
    SshAuthServer auth, SessionStarter starter, SshLoginTickets tickets, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    /// <summary>How often the accounts of the store are made to exist for sshd (a new account logs in over SSH after at most this).</summary>
    private static readonly TimeSpan AccountRefresh = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = [];
    private SshDaemon? _daemon;
    private ITimer? _refresh;

    /// <summary><c>Running</c>, or <c>NotRunning</c> when it failed to start or sshd exited.</summary>
    public string State => _daemon is { IsRunning: true } ? "Running" : "NotRunning";

    public async Task StartAsync(string instanceName)
    {
        try
        {
            SessionAccount account = SessionAccount.Ensure();
            NameService.Check();
            RefreshAccounts(account);
            _refresh = time.CreateTimer(_ => RefreshAccounts(account), null, AccountRefresh, AccountRefresh);
            string fingerprint = await SshHostKey.EnsureAsync(layout, _stopping.Token);
            OpenSockets(account);
            File.WriteAllText(layout.ConfigFile, SshdConfigText.Create(layout, listenAddress, port == 0 ? FreePort() : port, helperPath, limits));
            File.WriteAllText(layout.PamServiceFile, SshdConfigText.PamService(layout, helperPath));
            File.Delete(layout.DaemonLink);
            File.CreateSymbolicLink(layout.DaemonLink, "/usr/sbin/sshd");
            _daemon = await SshDaemon.StartAsync(layout.DaemonLink, layout.ConfigFile, logger, code => GatewayLog.SshDaemonExited(logger, code));
            GatewayLog.SshDoorListening(logger, instanceName, listenAddress, _daemon.Port, _daemon.ProcessId, fingerprint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or DeploymentException
                                       or SocketException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            GatewayLog.SshDoorFailed(logger, e.Message);
            await DisposeAsync();
        }
    }

    /// <summary>A port free now on the door's address, for <c>--ssh-port 0</c> (sshd takes no port 0).</summary>
    private int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(listenAddress), 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>The port sshd listens on; null when it does not run.</summary>
    public int? ListeningPort => _daemon is { IsRunning: true } daemon ? daemon.Port : null;

    private void RefreshAccounts(SessionAccount account)
    {
        try
        {
            ExtraUsersFile.AddMissing(accounts.List().Select(record => record.User), account.Uid, account.Gid);
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The next round tries again; logins of accounts already there are not affected.
            GatewayLog.SshDoorConnectionRefused(logger, "accounts", $"the accounts could not be made known to sshd now: {e.Message}");
        }
    }

    /// <summary>The auth socket for root only; the session socket for anyone to reach (the gateway checks each caller's uid and login).</summary>
    private void OpenSockets(SessionAccount account)
    {
        Directory.CreateDirectory(SshDoorLayout.RuntimeRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(layout.RuntimeDirectory);
        File.SetUnixFileMode(layout.RuntimeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Listen(layout.AuthSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite, connection => auth.HandleAsync(connection, _stopping.Token));
        var sessions = new SshSessionServer(starter, tickets, accounts.Domain, account.Uid, logger);
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
        _daemon?.Dispose();
        _daemon = null;
        if (_refresh is not null)
        {
            await _refresh.DisposeAsync();
        }

        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
        foreach (string file in (string[])[layout.PamServiceFile, layout.AuthSocket, layout.SessionSocket])
        {
            File.Delete(file);
        }
    }
}
