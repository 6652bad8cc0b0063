using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Core.Support;
using Pep.Core.Syslog;

namespace Pep.Gateway.Syslog;

/// <summary>
/// Forwards the instance's security events to the deployment's syslog server, in the original's CEF format.
/// <para>
/// Nothing here runs on a session's thread but <see cref="Post"/>, which formats the message and hands it to an
/// in-memory channel without waiting. One task of its own moves each message to the on-disk queue
/// (<see cref="SyslogBacklog"/>, in the instance's private state) and sends the queue, oldest first, removing a message
/// only once it was written to the server; while the server is down it tries again, waiting 0.5 s doubling up to 5 s,
/// and the queue keeps the events (at most <see cref="QueueCapacity"/>, then the oldest are dropped and a "lost N"
/// event is sent in their place).
/// </para>
/// <para>
/// The settings are the deployment's shared ones (Set-SyslogServer and Set-SyslogClient on any instance): read at
/// start, every <see cref="PollInterval"/>, and at once when this instance's broker changed them.
/// </para>
/// </summary>
internal sealed class SyslogForwarder : IAsyncDisposable
{
    /// <summary>At most this many messages of at most 4 KiB each wait on disk: 40 MiB.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>The id of the "lost N" event, in the forwarder's range.</summary>
    public const int LostEventId = 1902;

    /// <summary>How soon a change made through another instance takes effect here.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>Messages handed over but not yet on disk; past it they are counted as lost (never waited for).</summary>
    private const int ChannelCapacity = 10_000;

    private readonly StateLayout _layout;
    private readonly ISettingsStore _settings;
    private readonly TimeProvider _time;
    private readonly string _queueFolder;
    private readonly Channel<string?> _channel = Channel.CreateBounded<string?>(new BoundedChannelOptions(ChannelCapacity) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private SyslogBacklog? _queue;
    private long _droppedInMemory;
    private volatile SyslogServerSetting? _server;
    private volatile bool _verbose;
    private long? _serverVersion;
    private long? _clientVersion;
    private X509Certificate2? _clientCertificate;
    private SyslogConnection? _connection;
    private string? _lastSettingsProblem;
    private bool _failing;
    private Task _running = Task.CompletedTask;

    public SyslogForwarder(StateLayout layout, string instanceName, ISettingsStore settings, TimeProvider time)
    {
        _layout = layout;
        InstanceName = instanceName;
        _settings = settings;
        _time = time;
        _queueFolder = Path.Combine(layout.InstanceDirectory(instanceName), "syslog-queue");
    }

    public string InstanceName { get; }

    /// <summary>Set once the application's logger exists: the forwarder's own events (1900-1919).</summary>
    public ILogger? Logger { get; set; }

    /// <summary>True while a server is set: only then are events formatted and queued.</summary>
    public bool IsForwarding => _server is not null;

    public bool IsVerbose => _verbose;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Reads the settings and starts the forwarding task.</summary>
    public void Start()
    {
        _queue = new SyslogBacklog(_queueFolder, QueueCapacity);
        Reload();
        _running = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Hands an event over without waiting; a full hand-over counts it as lost.</summary>
    public void Post(CefEvent cef, int syslogSeverity)
    {
        string message = SyslogFrame.Message(_time.GetUtcNow(), InstanceName, syslogSeverity, cef.SignatureId, CefFormat.Format(cef));
        if (!_channel.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _droppedInMemory);
        }
    }

    /// <summary>This instance's broker changed the settings: read them now rather than at the next poll.</summary>
    public void SettingsChanged() => _channel.Writer.TryWrite(null);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await CloseAsync();
        _clientCertificate?.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        DateTimeOffset nextPoll = Now + PollInterval;
        DateTimeOffset nextAttempt = Now;
        TimeSpan retry = FirstRetry;
        while (!stopping.IsCancellationRequested)
        {
            if (Drain() || Now >= nextPoll)
            {
                if (Reload())
                {
                    nextAttempt = Now;
                    retry = FirstRetry;
                }

                nextPoll = Now + PollInterval;
            }

            if (_server is { } server && _queue!.Count + _queue.Lost > 0 && Now >= nextAttempt)
            {
                try
                {
                    await DeliverAsync(server, stopping);
                    retry = FirstRetry;
                    if (_failing)
                    {
                        _failing = false;
                        GatewayLog.SyslogDelivering(Logger!, Describe(server));
                    }
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    await CloseAsync();
                    if (!_failing)
                    {
                        _failing = true;
                        GatewayLog.SyslogUndeliverable(Logger!, Describe(server), e.Message, _queue.Count);
                    }

                    nextAttempt = Now + retry;
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                }

                continue;
            }

            DateTimeOffset wake = _server is not null && _queue!.Count + _queue.Lost > 0 && nextAttempt < nextPoll ? nextAttempt : nextPoll;
            await WaitAsync(wake - Now, stopping);
        }
    }

    /// <summary>Waits for a message, a settings change or <paramref name="delay"/>, whichever comes first.</summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken stopping)
    {
        using var timer = new CancellationTokenSource(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        try
        {
            await _channel.Reader.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The delay ran out, or the gateway stops (the loop sees it).
        }
    }

    /// <summary>Moves what was handed over to the disk queue; true when a settings change was among it.</summary>
    private bool Drain()
    {
        bool settingsChanged = false;
        long dropped = Interlocked.Exchange(ref _droppedInMemory, 0);
        try
        {
            if (dropped > 0)
            {
                _queue!.AddLost(dropped);
            }

            while (_channel.Reader.TryRead(out string? message))
            {
                if (message is null)
                {
                    settingsChanged = true;
                }
                else if (_server is not null)
                {
                    _queue!.Enqueue(message);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.SyslogQueueFailed(Logger!, _queueFolder, e);
        }

        return settingsChanged;
    }

    private async Task DeliverAsync(SyslogServerSetting server, CancellationToken stopping)
    {
        if (_connection is { IsOpen: false })
        {
            await CloseAsync();
        }

        _connection ??= await SyslogConnection.OpenAsync(server, _clientCertificate, stopping);
        SyslogBacklog queue = _queue!;
        if (queue.Lost > 0)
        {
            long lost = queue.Lost;
            await _connection.SendAsync(LostMessage(lost), stopping);
            queue.ClearLost();
            GatewayLog.SyslogEventsLost(Logger!, lost, QueueCapacity);
        }

        while (queue.TryPeek(out string message))
        {
            if (!_connection.IsOpen)
            {
                throw new IOException("The syslog server closed the connection.");
            }

            await _connection.SendAsync(message, stopping);
            queue.RemoveOldest();
            Drain();
        }
    }

    private string LostMessage(long lost)
    {
        var cef = new CefEvent(LostEventId, "SyslogEventsLost", 8,
        [
            new("rt", Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new("dvchost", InstanceName),
            new("cnt", lost.ToString(CultureInfo.InvariantCulture)),
            new("msg", $"lost {lost} events: the queue for the syslog server was full ({QueueCapacity} events) and the oldest were dropped"),
        ]);
        return SyslogFrame.Message(Now, InstanceName, 4, LostEventId, CefFormat.Format(cef));
    }

    /// <summary>Reads the shared settings; true when the server or the client setting changed.</summary>
    private bool Reload()
    {
        try
        {
            bool changed = false;
            SettingValue? server = _settings.Get(SyslogServerSetting.SettingKey);
            if (server?.Version != _serverVersion)
            {
                _server = server is null ? null : SyslogServerSetting.Parse(server.Value);
                _serverVersion = server?.Version;
                changed = true;
                if (_server is { } set)
                {
                    GatewayLog.SyslogServerSet(Logger!, Describe(set));
                }
                else
                {
                    GatewayLog.SyslogServerRemoved(Logger!);
                }
            }

            SettingValue? client = _settings.Get(SyslogClientSetting.SettingKey);
            if (client?.Version != _clientVersion)
            {
                SyslogClientSetting setting = client is null ? SyslogClientSetting.None : SyslogClientSetting.Parse(client.Value);
                X509Certificate2? certificate = setting.SealedCertificate is { } sealedCertificate ? SyslogCertificateSeal.Open(_layout, sealedCertificate) : null;
                _clientCertificate?.Dispose();
                _clientCertificate = certificate;
                _verbose = setting.OutputSeverity == SyslogOutputSeverity.Verbose;
                _clientVersion = client?.Version;
                changed = true;
            }

            if (changed)
            {
                // The next delivery connects with what is set now, and a failure to reach it is news again.
                _failing = false;
                CloseAsync().AsTask().GetAwaiter().GetResult();
            }

            _lastSettingsProblem = null;
            return changed;
        }
        catch (Exception e) when (e is StoreUnavailableException or StampManifestException or SupportTokenException or CryptographicException or IOException or FormatException)
        {
            if (e.Message != _lastSettingsProblem)
            {
                _lastSettingsProblem = e.Message;
                GatewayLog.SyslogSettingsUnread(Logger!, e.Message);
            }

            return false;
        }
    }

    private async ValueTask CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private static string Describe(SyslogServerSetting server)
        => string.Create(CultureInfo.InvariantCulture, $"{server.ServerName}:{server.ServerPort} over {server.Transport}");
}
