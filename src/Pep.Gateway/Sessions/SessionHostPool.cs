using Microsoft.Extensions.Logging;

namespace Pep.Gateway.Sessions;

/// <summary>
/// Warm session hosts waiting for logins, so that a login does not wait for PowerShell to start and load the
/// endpoint. Each host serves exactly one session (the id it was started for) and is never given to another.
/// The pool refills one host at a time in the background, up to its size, and only while the machine has the
/// configured memory available; a login that finds it empty starts a cold host as before.
/// </summary>
internal sealed class SessionHostPool : IAsyncDisposable
{
    private readonly SessionHostLauncher _launcher;
    private readonly int _size;
    private readonly long _minimumAvailableBytes;
    private readonly Func<long?> _availableMemory;
    private readonly ILogger _logger;
    private readonly Queue<WarmHost> _ready = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refill;

    public SessionHostPool(SessionHostLauncher launcher, int size, long minimumAvailableBytes, Func<long?> availableMemory, ILogger logger)
    {
        _launcher = launcher;
        _size = size;
        _minimumAvailableBytes = minimumAvailableBytes;
        _availableMemory = availableMemory;
        _logger = logger;
        _refill = size > 0 ? Task.Run(RefillAsync) : Task.CompletedTask;
    }

    /// <summary>The number of warm hosts waiting now.</summary>
    public int Count
    {
        get
        {
            lock (_ready)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Takes a live warm host, or null when none is waiting; the pool starts a replacement.</summary>
    public WarmHost? TryTake()
    {
        try
        {
            while (true)
            {
                WarmHost? host;
                lock (_ready)
                {
                    if (!_ready.TryDequeue(out host))
                    {
                        return null;
                    }
                }

                if (!host.Process.HasExited)
                {
                    return host;
                }

                GatewayLog.WarmHostLost(_logger, host.SessionId, host.Process.ExitCode);
                _ = DiscardAsync(host);
            }
        }
        finally
        {
            Wake();
        }
    }

    /// <summary>Ends a warm host that will not serve a session after all.</summary>
    public async Task DiscardAsync(WarmHost host)
    {
        await host.Process.DisposeAsync();
        _launcher.DeleteConfiguration(host.SessionId);
    }

    private void Wake()
    {
        if (_size > 0 && !_stopping.IsCancellationRequested)
        {
            _wake.Release();
        }
    }

    private async Task RefillAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                while (Count < _size && !stopping.IsCancellationRequested && EnoughMemory())
                {
                    StartOne();
                }

                // Woken by a take; also every few seconds, to notice memory freed by sessions that ended.
                await _wake.WaitAsync(TimeSpan.FromSeconds(5), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void StartOne()
    {
        var sessionId = Guid.NewGuid();
        try
        {
            SessionHostProcess process = _launcher.StartWarm(sessionId);
            lock (_ready)
            {
                _ready.Enqueue(new WarmHost(sessionId, process));
            }

            GatewayLog.WarmHostStarted(_logger, sessionId, process.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            GatewayLog.HostStartFailed(_logger, sessionId, e);
            _launcher.DeleteConfiguration(sessionId);
            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5));
        }
    }

    private bool EnoughMemory() => _availableMemory() is not { } available || available >= _minimumAvailableBytes;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refill;
        List<WarmHost> hosts;
        lock (_ready)
        {
            hosts = [.. _ready];
            _ready.Clear();
        }

        foreach (WarmHost host in hosts)
        {
            await DiscardAsync(host);
        }

        _wake.Dispose();
        _stopping.Dispose();
    }
}
