using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Gateway.Recording;

namespace Pep.Gateway.Relay;

/// <summary>
/// Relays PSRP lines between a client's WebSocket and its session host, one text message per line, without
/// parsing them. Ends the session when either side goes away, when the client breaks the framing or the
/// size limit, or when nothing moves for the idle limit.
/// </summary>
internal sealed class SessionRelay : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly WebSocket _socket;
    private readonly ISessionHost _host;
    private readonly GatewayLimits _limits;
    private readonly Guid _sessionId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _idle = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly EndpointInitiatedClose _endpointClose = new();

    /// <summary>How long the gateway waits, after the host asked to close, for the client to close its open commands.</summary>
    private static readonly TimeSpan CommandCloseWait = TimeSpan.FromSeconds(10);

    private readonly Action? _hostReady;
    private readonly TaskCompletionSource _firstCommandAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionRecorder? _recorder;
    private readonly ElevationDeadline _elevation;

    /// <summary>
    /// A relay between a client's socket and its session host; <paramref name="hostReady"/> is called when a cold host
    /// says it is ready (<see cref="HostSignals.Ready"/>); <paramref name="recorder"/> is shown every line relayed;
    /// <paramref name="elevation"/> holds the end of the session's support elevation, if it elevates
    /// (<see cref="HostSignals.Elevating"/>).
    /// </summary>
    public SessionRelay(WebSocket socket, ISessionHost host, GatewayLimits limits, Guid sessionId, ILogger logger, Action? hostReady = null,
        SessionRecorder? recorder = null, ElevationDeadline? elevation = null)
    {
        _hostReady = hostReady;
        _recorder = recorder;
        _elevation = elevation ?? new ElevationDeadline(TimeProvider.System, ElevationDeadline.Ceiling);
        _socket = socket;
        _host = host;
        _limits = limits;
        _sessionId = sessionId;
        _logger = logger;
    }

    /// <summary>
    /// Completes when the session's first command has been answered in full (the host acknowledged the client's close of
    /// it): the login is over and the session usable. Never completes for a session that runs no command.
    /// </summary>
    public Task FirstCommandAnswered => _firstCommandAnswered.Task;

    /// <param name="ending">Called once as soon as the session is known to end (before its host is ended): also when
    /// the host acknowledges the client's Close, before the client can see its session closed.</param>
    /// <param name="hostEnded">Called once the host has exited, before the client is told: seals the transcript, and
    /// returns the end reason to record.</param>
    /// <param name="connectionAborted">The client's connection went away (the request's RequestAborted).</param>
    /// <param name="gatewayStopping">The gateway is shutting down.</param>
    public async Task<SessionEndReason> RunAsync(Action<SessionEndReason> ending, Func<SessionEndReason, Task<SessionEndReason>> hostEnded,
        CancellationToken connectionAborted, CancellationToken gatewayStopping)
    {
        ArgumentNullException.ThrowIfNull(ending);
        ArgumentNullException.ThrowIfNull(hostEnded);
        _ending = ending;
        // Two tokens: _idle only measures time (handshake, then idle limit); _abort tears the halves down.
        // A timeout must not cancel a pending WebSocket receive directly: that aborts the socket, and the
        // client would get a reset instead of a close frame that says why.
        // The gateway's stop is a third timer of that kind: the session ends with a close frame that says so.
        using CancellationTokenSource abort = CancellationTokenSource.CreateLinkedTokenSource(connectionAborted);
        _idle.CancelAfter(TimeSpan.FromSeconds(_limits.HandshakeTimeoutSeconds));

        Task<SessionEndReason> fromClient = ClientToHostAsync(abort.Token);
        // The host's output is read on a thread of its own (see SessionHostProcess.ReadLine).
        CancellationToken aborting = abort.Token;
        Task<SessionEndReason> fromHost = Task.Factory.StartNew(() => HostToClient(aborting), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task diagnostics = DrainDiagnosticsAsync(abort.Token);
        Task timedOut = Task.Delay(Timeout.Infinite, _idle.Token);
        Task dropped = Task.Delay(Timeout.Infinite, abort.Token);
        using CancellationTokenSource stoppingOrOver = CancellationTokenSource.CreateLinkedTokenSource(gatewayStopping);
        Task stopping = Task.Delay(Timeout.Infinite, stoppingOrOver.Token);

        Task grantOver = _elevation.Ended;

        Task first = await Task.WhenAny(fromClient, fromHost, timedOut, dropped, stopping, grantOver);
        SessionEndReason reason = first == stopping && gatewayStopping.IsCancellationRequested ? SessionEndReason.GatewayStopping
            : first == grantOver ? SessionEndReason.SupportSessionEnded
            : first == dropped ? SessionEndReason.ClientGone
            : first == timedOut ? (_sawClientMessage ? SessionEndReason.IdleTimeout : SessionEndReason.HandshakeTimeout)
            : first.IsFaulted ? FaultReason(first == fromClient, first.Exception!)
            : await (Task<SessionEndReason>)first;

        // The host acknowledged the client's Close (Remove-PSSession, Exit-PSSession): the session ended closed, whatever
        // the connection does next. A client drops its connection right after its close frame, and the drop (the
        // request aborted, a failed read) could be seen before the frame: the session was then sealed ClientGone.
        if (_clientCloseAcknowledged && reason is SessionEndReason.ClientGone or SessionEndReason.HostExited)
        {
            reason = SessionEndReason.Closed;
        }

        long ended = Stopwatch.GetTimestamp();
        if (reason == SessionEndReason.SupportSessionEnded)
        {
            GatewayLog.ElevationEnded(_logger, _sessionId);
        }

        MarkEnding(reason);

        // A session Close-PrivilegedEndpoint closed ends as Closed, also when its host is gone before the client
        // has closed its side: give the client a moment to do so, so that it sees a closed session, not a broken one.
        if (reason == SessionEndReason.HostExited && _endpointClose.Requested)
        {
            reason = SessionEndReason.Closed;
            await _endpointClose.WaitForClientAsync(TimeSpan.FromSeconds(5));
        }

        // A client that closed or vanished leaves a host that can finish its transcript: end its input, and it
        // exits at once (measured: tens of ms). Only a host that does not answer waits out the grace. Anything else
        // is ended now. (A host whose input ends closes its runspace pool and tells the client so: a client whose
        // gateway stops would see a closed session, not why.)
        if (reason is SessionEndReason.Closed or SessionEndReason.ClientGone)
        {
            await _host.EndInputAsync(HostExitGrace);
        }

        long inputEnded = Stopwatch.GetTimestamp();
        _host.Kill();

        // The client is told at once (sending a close frame does not wait for the client); a client whose gateway
        // stops must hear why before the gateway's shutdown ends its connection.
        await CloseSocketAsync(reason);
        await _host.WaitForExitAsync(HostExitGrace);
        long hostGone = Stopwatch.GetTimestamp();

        // The host is gone, so its transcript is complete: seal it before anything waits on the client.
        reason = await hostEnded(reason);
        long sealedAt = Stopwatch.GetTimestamp();

        // Give the client a moment to answer the close frame, then tear everything down.
        await Task.WhenAny(fromClient, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        await abort.CancelAsync();
        await _idle.CancelAsync();
        await stoppingOrOver.CancelAsync();

        // A read from the host's pipes does not honour cancellation; it ends when the pipe closes. Should
        // anything still hold the pipe open, the session still ends here: the caller disposes the process.
        // (Every timer above is cancelled now; waiting on one that was not, the gateway's own stop, cost every
        // session the whole teardown limit: 10 s between its end and its seal.)
        Task halves = Task.WhenAll(Swallow(fromClient), Swallow(fromHost), Swallow(diagnostics), Swallow(timedOut), Swallow(dropped), Swallow(stopping));
        await Task.WhenAny(halves, Task.Delay(TeardownLimit, CancellationToken.None));
        GatewayLog.SessionTeardown(_logger, _sessionId, reason, Stopwatch.GetElapsedTime(ended, inputEnded).TotalMilliseconds,
            Stopwatch.GetElapsedTime(inputEnded, hostGone).TotalMilliseconds, Stopwatch.GetElapsedTime(hostGone, sealedAt).TotalMilliseconds,
            Stopwatch.GetElapsedTime(sealedAt).TotalMilliseconds);
        return reason;
    }

    /// <summary>What the client is told when the grant ran out (a close frame's reason: at most 123 bytes).</summary>
    internal const string SupportSessionEndedMessage = "The support session ended and everything it started was stopped. Open a new session; it will be restricted.";

    /// <summary>Bounds the wait for a host that does not exit when its input ends, and for the reaping of a killed one.</summary>
    private static readonly TimeSpan HostExitGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan TeardownLimit = TimeSpan.FromSeconds(10);

    private Action<SessionEndReason>? _ending;

    /// <summary>Set (before the client can see it) when the host's acknowledgement of the client's own Close passes to the client.</summary>
    private volatile bool _clientCloseAcknowledged;

    /// <summary>Tells the caller, once, that the session is ending.</summary>
    private void MarkEnding(SessionEndReason reason) => Interlocked.Exchange(ref _ending, null)?.Invoke(reason);

    /// <summary>An exception a half did not expect still ends the session, logged, and blamed on the side it came from.</summary>
    private SessionEndReason FaultReason(bool fromClient, AggregateException fault)
    {
        GatewayLog.RelayFailed(_logger, _sessionId, fault.GetBaseException());
        return fromClient ? SessionEndReason.ClientGone : SessionEndReason.HostExited;
    }

    public void Dispose()
    {
        _elevation.Dispose();
        _idle.Dispose();
        _sendLock.Dispose();
    }

    private bool _sawClientMessage;

    private void Touch()
    {
        if (!_idle.IsCancellationRequested)
        {
            _idle.CancelAfter(TimeSpan.FromSeconds(_limits.IdleTimeoutSeconds));
        }
    }

    private async Task<SessionEndReason> ClientToHostAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                {
                    return SessionEndReason.ClientGone;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return SessionEndReason.Closed;
                }

                if (message.Length + result.Count > _limits.MaxMessageBytes)
                {
                    GatewayLog.MessageTooLarge(_logger, _sessionId, _limits.MaxMessageBytes);
                    _violation = "message too large";
                    return SessionEndReason.ProtocolViolation;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                string? line = DecodeLine(message, result.MessageType);
                message.SetLength(0);
                if (line is null)
                {
                    _violation = "not a PSRP line";
                    return SessionEndReason.ProtocolViolation;
                }

                _sawClientMessage = true;
                Touch();
                try
                {
                    if (_endpointClose.Answers(line, out bool answerNow))
                    {
                        if (answerNow)
                        {
                            await AnswerClientCloseAsync(cancellationToken);
                        }

                        continue;
                    }

                    // Nothing after Close: once the host has asked to close the session (its transcript is sealed and
                    // delivered), nothing more of the client reaches it but its Close of a command still open.
                    if (_endpointClose.Requested && !_endpointClose.StillForwarded(line))
                    {
                        if (!_droppedAfterClose)
                        {
                            _droppedAfterClose = true;
                            GatewayLog.InputAfterCloseDropped(_logger, _sessionId);
                        }

                        continue;
                    }

                    _endpointClose.ClientSent(line);
                    _recorder?.Observe(RelayDirection.ClientToHost, line);
                    await _host.WriteLineAsync(line, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException)
                {
                    return SessionEndReason.ClientGone;
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    return SessionEndReason.HostExited;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string? _violation;

    private bool _droppedAfterClose;

    /// <summary>A PSRP message is one line of UTF-8 text; anything else is not passed to the host.</summary>
    private static string? DecodeLine(MemoryStream message, WebSocketMessageType type)
    {
        if (type != WebSocketMessageType.Text)
        {
            return null;
        }

        string line;
        try
        {
            line = StrictUtf8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return line.AsSpan().ContainsAny('\n', '\r') ? null : line;
    }

    /// <summary>
    /// Relays the host's lines to the client, on a thread of its own. Sending a small message completes at once
    /// (the socket takes it), so the thread that read the line also sends it, with no hand-over.
    /// </summary>
    private SessionEndReason HostToClient(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = _host.ReadLine();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                return SessionEndReason.HostExited;
            }

            if (line is null)
            {
                return SessionEndReason.HostExited;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return SessionEndReason.ClientGone;
            }

            Touch();
            try
            {
                if (_endpointClose.HoldsBack(line, out bool answerNow))
                {
                    if (answerNow)
                    {
                        AnswerClientCloseAsync(cancellationToken).GetAwaiter().GetResult();
                    }

                    continue;
                }

                // The host has closed the session the client asked it to close (Remove-PSSession): the session has
                // ended before the client learns so, and a Close the client runs next in another session waits for it.
                if (line == OutOfProcessPackets.CloseSessionAck)
                {
                    _clientCloseAcknowledged = true;
                    MarkEnding(SessionEndReason.Closed);
                }

                if (_endpointClose.HostSent(line))
                {
                    _firstCommandAnswered.TrySetResult();
                }

                _recorder?.Observe(RelayDirection.HostToClient, line);
                SendAsync(line, cancellationToken).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                return SessionEndReason.ClientGone;
            }
        }
    }

    private async Task AnswerClientCloseAsync(CancellationToken cancellationToken)
    {
        await SendAsync(OutOfProcessPackets.CloseSessionAck, cancellationToken);
        _endpointClose.Answered();
    }

    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Logs what the host writes on its standard error, and answers its signals (<see cref="HostSignals"/>).</summary>
    private async Task DrainDiagnosticsAsync(CancellationToken cancellationToken)
    {
        string closeRequest = HostSignals.CloseRequest(_sessionId);
        string ready = HostSignals.Ready(_sessionId);
        while (await _host.ReadDiagnosticLineAsync(cancellationToken) is { } line)
        {
            if (line == ready)
            {
                _hostReady?.Invoke();
                continue;
            }

            if (HostSignals.TryReadDiagnostic(line, _sessionId, out string message))
            {
                GatewayLog.HostWarning(_logger, _sessionId, message);
                continue;
            }

            if (HostSignals.TryReadProblem(line, _sessionId, out HostProblem problem, out string text))
            {
                GatewayLog.HostProblem(_logger, _sessionId, problem, text);
                continue;
            }

            if (HostSignals.TryReadElevating(line, _sessionId, out long seconds))
            {
                StartElevation(seconds);
                continue;
            }

            if (line != closeRequest)
            {
                GatewayLog.HostDiagnostic(_logger, _sessionId, line);
                continue;
            }

            GatewayLog.CloseRequested(_logger, _sessionId);
            Task commandsClosed = _endpointClose.Request();
            try
            {
                // The client closes Close-PrivilegedEndpoint's command once it has all its output (EndpointInitiatedClose);
                // a client that never does is not waited for past the bound.
                await Task.WhenAny(commandsClosed, Task.Delay(CommandCloseWait, cancellationToken));
                await _host.CloseSessionAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The host is gone already: the session ends with it.
            }
        }
    }

    /// <summary>The host elevates: the gateway starts the grant's clock, once per session (a second signal is refused).</summary>
    private void StartElevation(long requestedSeconds)
    {
        TimeSpan requested = TimeSpan.FromSeconds(Math.Min(requestedSeconds, (long)ElevationDeadline.Ceiling.TotalSeconds));
        if (_elevation.TryStart(requested) is { } duration)
        {
            GatewayLog.ElevationStarted(_logger, _sessionId, (long)duration.TotalSeconds, requestedSeconds);
        }
        else
        {
            GatewayLog.ElevationRefused(_logger, _sessionId);
        }
    }

    /// <summary>Tells the client why its session ended, in the close frame's status and reason.</summary>
    private async Task CloseSocketAsync(SessionEndReason reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        (WebSocketCloseStatus status, string text) = reason switch
        {
            SessionEndReason.Closed => (WebSocketCloseStatus.NormalClosure, "Session closed."),
            SessionEndReason.HostExited => (WebSocketCloseStatus.InternalServerError, $"The session host ended unexpectedly (exit code {await ExitCodeAsync()})."),
            SessionEndReason.IdleTimeout => (WebSocketCloseStatus.PolicyViolation, $"The session was idle for more than {_limits.IdleTimeoutSeconds} seconds."),
            SessionEndReason.HandshakeTimeout => (WebSocketCloseStatus.PolicyViolation, $"The client did not start its session within {_limits.HandshakeTimeoutSeconds} seconds."),
            SessionEndReason.ProtocolViolation => (_violation == "message too large" ? WebSocketCloseStatus.MessageTooBig : WebSocketCloseStatus.ProtocolError,
                                                   $"Session closed: {_violation}."),
            SessionEndReason.GatewayStopping => (WebSocketCloseStatus.EndpointUnavailable, "The endpoint instance is shutting down."),
            SessionEndReason.SupportSessionEnded => (WebSocketCloseStatus.PolicyViolation, SupportSessionEndedMessage),
            _ => (WebSocketCloseStatus.NormalClosure, "Session ended."),
        };

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(status, text, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is already gone.
        }
    }

    private async Task<int> ExitCodeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _host.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Report what is known.
        }

        return _host.ExitCode;
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // The relay is over; its halves end with whatever the closed socket or killed host made them throw.
        }
    }
}
