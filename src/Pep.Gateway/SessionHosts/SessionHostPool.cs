using Microsoft.Extensions.Logging;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// Warm session hosts waiting for logins, so that a login does not wait for PowerShell to start and load the
/// endpoint. Each host serves exactly one session (the id it was started for) and is never given to another.
/// A host runs in one culture and one UI culture from its start (<see cref="HostCultures"/>), so it serves only
/// logins that ask for both; the pool refills in the cultures of the latest login, one host at a time in the
/// background, up to its size, and only while the machine has the configured memory available. A login that
/// finds no host of its cultures starts a cold one, as without a pool.
/// </summary>
internal sealed class SessionHostPool : IAsyncDisposable
{
    private readonly SessionHostLauncher _launcher;
    private readonly int _size;
    private readonly long _minimumAvailableBytes;
    private readonly Func<long?> _availableMemory;
    private readonly ILogger _logger;
    private readonly List<WarmHost> _ready = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refill;
    private HostCultures _cultures;

    /// <summary>Takes whose login is not over yet (and not older than <see cref="MaxRefillDeferral"/>): no start while any is.</summary>
    private int _loginsInProgress;

    public SessionHostPool(SessionHostLauncher launcher, int size, HostCultures cultures, long minimumAvailableBytes, Func<long?> availableMemory, ILogger logger)
    {
        _launcher = launcher;
        _size = size;
        _cultures = cultures;
        _minimumAvailableBytes = minimumAvailableBytes;
        _availableMemory = availableMemory;
        _logger = logger;
        _refill = size > 0 ? Task.Run(RefillAsync) : Task.CompletedTask;
    }

    /// <summary>
    /// How long the refill after a take waits at most for the login that took the host to be over. Starting a host
    /// (pwsh, the module, the warm-up: over a second of CPU) beside a login's runspace open and first command made the
    /// login slower on two cores (bench/README.md, "Re-login tickets and the pool's refill").
    /// </summary>
    private static readonly TimeSpan MaxRefillDeferral = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Takes a live warm host of the cultures asked for, or null when none is waiting; the pool refills, once
    /// <paramref name="loginOver"/> completes (at most <see cref="MaxRefillDeferral"/> later) when a host was taken.
    /// </summary>
    public WarmHost? TryTake(HostCultures cultures, Task loginOver)
    {
        if (_size == 0)
        {
            return null;
        }

        var lost = new List<WarmHost>();
        WarmHost? taken = null;
        lock (_ready)
        {
            lost.AddRange(_ready.Where(host => host.Process.HasExited));
            _ready.RemoveAll(lost.Contains);
            taken = _ready.FirstOrDefault(host => host.Cultures.Equals(cultures));
            if (taken is not null)
            {
                _ready.Remove(taken);
            }
            else if (!_cultures.Equals(cultures))
            {
                // Logins now ask for other cultures: the pool turns to them, one waiting host at a time.
                _cultures = cultures;
                if (_ready.Count > 0)
                {
                    lost.Add(_ready[0]);
                    _ready.RemoveAt(0);
                }
            }
        }

        foreach (WarmHost host in lost)
        {
            if (host.Process.HasExited)
            {
                GatewayLog.WarmHostLost(_logger, host.SessionId, host.Process.ExitCode);
            }

            _ = DiscardAsync(host);
        }

        if (taken is null)
        {
            _wake.Release();
        }
        else
        {
            Interlocked.Increment(ref _loginsInProgress);
            _ = WakeAfterAsync(taken.SessionId, loginOver);
        }

        return taken;
    }

    private async Task WakeAfterAsync(Guid sessionId, Task loginOver)
    {
        try
        {
            await Task.WhenAny(loginOver, Task.Delay(MaxRefillDeferral, _stopping.Token));
            if (!loginOver.IsCompleted && !_stopping.IsCancellationRequested)
            {
                GatewayLog.RefillDeferralOver(_logger, sessionId, MaxRefillDeferral.TotalSeconds);
            }

            Interlocked.Decrement(ref _loginsInProgress);
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The pool was disposed meanwhile: there is nothing to refill.
        }
    }

    /// <summary>Ends a warm host that will not serve a session after all.</summary>
    public async Task DiscardAsync(WarmHost host)
    {
        await host.Process.DisposeAsync();
        _launcher.DeleteConfiguration(host.SessionId);
    }

    private async Task RefillAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                while (!stopping.IsCancellationRequested && Waiting() < _size && EnoughMemory() && Volatile.Read(ref _loginsInProgress) == 0)
                {
                    StartOne();
                }

                // Woken by a take, or when a login that took a host is over; also every few seconds, to notice
                // memory freed by sessions that ended (that wake-up, too, starts nothing while a login is in progress).
                await _wake.WaitAsync(TimeSpan.FromSeconds(5), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private int Waiting()
    {
        lock (_ready)
        {
            return _ready.Count;
        }
    }

    private void StartOne()
    {
        var sessionId = Guid.NewGuid();
        HostCultures cultures;
        lock (_ready)
        {
            cultures = _cultures;
        }

        try
        {
            SessionHostProcess process = _launcher.StartWarm(sessionId, cultures);
            lock (_ready)
            {
                _ready.Add(new WarmHost(sessionId, cultures, process));
            }

            GatewayLog.WarmHostStarted(_logger, sessionId, cultures.ToString(), process.ProcessId);
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
