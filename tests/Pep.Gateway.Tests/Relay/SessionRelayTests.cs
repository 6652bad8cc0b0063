using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Gateway.Relay;

namespace Pep.Gateway.Tests.Relay;

/// <summary>The relay between a real WebSocket and a scripted session host: its limits, its ends and the close handshakes.</summary>
public sealed class SessionRelayTests : IDisposable
{
    private static readonly GatewayLimits Limits = new() { MaxMessageBytes = 1024, HandshakeTimeoutSeconds = 1, IdleTimeoutSeconds = 1 };

    /// <summary>
    /// For the tests that are not about the handshake and idle limits: neither limit can fire during them. With the
    /// 1 s handshake limit, a loaded machine that took a second between the relay's start and the test's first message
    /// ended the session under the test (a handshake timeout kills the host, whose signals the test then sent to no one).
    /// </summary>
    private static readonly GatewayLimits Unhurried = Limits with { HandshakeTimeoutSeconds = 3600, IdleTimeoutSeconds = 3600 };

    private readonly Guid _sessionId = Guid.NewGuid();
    private readonly ScriptedSessionHost _host = new();
    private readonly RecordingLogger _logger = new();
    private readonly CancellationTokenSource _connectionAborted = new();
    private readonly CancellationTokenSource _gatewayStopping = new();
    private readonly List<string> _gatewaySteps = [];
    private LoopbackWebSockets? _sockets;
    private SessionRelay? _relay;

    private LoopbackWebSockets Sockets => _sockets ?? throw new InvalidOperationException("Not started.");

    [Fact]
    public async Task ClientLines_ReachTheHost_AndHostLines_ReachTheClient_Unchanged()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        await Sockets.SendTextAsync("<Data from the client é/>");
        Assert.Equal("<Data from the client é/>", await _host.NextWrittenAsync());
        _host.Print("<Data from the host/>");
        Assert.Equal("<Data from the host/>", await Sockets.ReceiveTextAsync());

        await Sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        Assert.Equal(SessionEndReason.Closed, await run);
    }

    [Fact]
    public async Task AClientThatCloses_IsMarkedEndedWhileTheHostRuns_AndSealedOnceAfterTheHostIsGone()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<Data/>");
        await _host.NextWrittenAsync();

        await Sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);

        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.Equal(["marked Closed; host running", "sealed Closed; host gone"], _gatewaySteps);
        Assert.Equal(["input ended", "killed"], _host.Events);
    }

    [Fact]
    public async Task AClientThatDropsItsConnectionRightAfterTheHostAcknowledgedItsClose_EndsTheSessionAsClosed()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync(OutOfProcessPackets.CloseSession);
        Assert.Equal(OutOfProcessPackets.CloseSession, await _host.NextWrittenAsync());
        _host.Print(OutOfProcessPackets.CloseSessionAck);
        Assert.Equal(OutOfProcessPackets.CloseSessionAck, await Sockets.ReceiveTextAsync());

        // Remove-PSSession's client sends its close frame and disposes its socket at once: the gateway may see the
        // connection's end before the frame.
        await _connectionAborted.CancelAsync();

        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.Equal(["marked Closed; host running", "sealed Closed; host gone"], _gatewaySteps);
    }

    [Fact]
    public async Task AClientThatDropsItsConnectionWithoutAClose_EndsTheSessionAsClientGone()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<Data/>");
        Assert.Equal("<Data/>", await _host.NextWrittenAsync());

        await _connectionAborted.CancelAsync();

        Assert.Equal(SessionEndReason.ClientGone, await run);
        Assert.Equal(["marked ClientGone; host running", "sealed ClientGone; host gone"], _gatewaySteps);
    }

    [Fact]
    public async Task AClientMessageOverTheSizeLimit_EndsTheSessionAsAProtocolViolation_AndNeverReachesTheHost()
    {
        Task<SessionEndReason> run = await StartAsync(Limits);

        await Sockets.SendTextAsync(new string('x', 1025));
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.ProtocolViolation, await run);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("Session closed: message too large.", text);
        Assert.False(_host.TryTakeWritten(out _));
        Assert.Contains((LogLevel.Warning, 1202), _logger.Events.Select(e => (e.Level, e.EventId)));
    }

    [Fact]
    public async Task AMessageOfExactlyTheSizeLimit_IsRelayed()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        await Sockets.SendTextAsync(new string('x', 1024));
        Assert.Equal(1024, (await _host.NextWrittenAsync()).Length);

        await Sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        Assert.Equal(SessionEndReason.Closed, await run);
    }

    [Theory]
    [InlineData(WebSocketMessageType.Binary, new byte[] { 0x3C, 0x61, 0x2F, 0x3E })]
    [InlineData(WebSocketMessageType.Text, new byte[] { 0x3C, 0x61, 0x0A, 0x3E })]
    public async Task AMessageThatIsNotOnePsrpLine_EndsTheSessionAsAProtocolViolation(WebSocketMessageType type, byte[] bytes)
    {
        Task<SessionEndReason> run = await StartAsync(Limits);

        await Sockets.SendAsync(bytes, type);
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.ProtocolViolation, await run);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.Equal("Session closed: not a PSRP line.", text);
        Assert.False(_host.TryTakeWritten(out _));
    }

    [Fact]
    public async Task AClientThatSendsNothing_EndsWithAHandshakeTimeout_AndIsToldWhy()
    {
        Task<SessionEndReason> run = await StartAsync(Limits);

        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.HandshakeTimeout, await run);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("The client did not start its session within 1 seconds.", text);
        Assert.Equal(["killed"], _host.Events);
    }

    [Fact]
    public async Task ASessionWithNoTrafficAfterItsFirstMessage_EndsWithAnIdleTimeout()
    {
        Task<SessionEndReason> run = await StartAsync(Limits);

        await Sockets.SendTextAsync("<first/>");
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.IdleTimeout, await run);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("The session was idle for more than 1 seconds.", text);
    }

    [Fact]
    public async Task TheClientsClose_EndsTheSessionAsClosed_TheHostsInputEndsBeforeItIsKilled()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        await Sockets.SendTextAsync("<first/>");
        await Sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("Session closed.", text);
        Assert.Equal(["input ended", "killed"], _host.Events);
    }

    [Fact]
    public async Task AHostThatExits_EndsTheSessionAsHostExited_AndTheClientIsToldItsExitCode()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        await Sockets.SendTextAsync("<first/>");
        _host.Exit(3);
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.HostExited, await run);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("The session host ended unexpectedly (exit code 3).", text);
    }

    [Fact]
    public async Task TheGatewayStopping_EndsTheSession_AndTheClientIsToldSo()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        await Sockets.SendTextAsync("<first/>");
        await _gatewayStopping.CancelAsync();
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.GatewayStopping, await run);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("The endpoint instance is shutting down.", text);
    }

    [Fact]
    public async Task AHostsCloseRequest_ClosesItsSessionInTheHost_AndTheClientsCloseIsAnsweredByTheGateway()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<first/>");
        Assert.Equal("<first/>", await _host.NextWrittenAsync());

        // Close-PrivilegedEndpoint has finished: the gateway closes the session in the host, as Remove-PSSession would.
        _host.Signal(HostSignals.CloseRequest(_sessionId));
        Assert.Equal(OutOfProcessPackets.CloseSession, await _host.NextWrittenAsync());

        // The host's acknowledgement is held back until the client asks; the client's own Close is answered by the
        // gateway and not sent to the host a second time.
        _host.Print(OutOfProcessPackets.CloseSessionAck);
        await Sockets.SendTextAsync(OutOfProcessPackets.CloseSession);
        Assert.Equal(OutOfProcessPackets.CloseSessionAck, await Sockets.ReceiveTextAsync());
        _host.Exit(0);
        (WebSocketCloseStatus? status, _) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.False(_host.TryTakeWritten(out _));
        Assert.Contains((LogLevel.Information, 1209), _logger.Events.Select(e => (e.Level, e.EventId)));
    }

    [Fact]
    public async Task AHostThatAsksToCloseWhileItsCommandIsOpen_IsClosedOnlyAfterTheClientClosedTheCommand()
    {
        const string command = "<Command PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b' />";
        const string commandsLastData = "<Data Stream='Default' PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b'>state</Data>";
        const string commandClose = "<Close PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b' />";
        const string commandCloseAck = "<CloseAck PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b' />";
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync(command);
        Assert.Equal(command, await _host.NextWrittenAsync());

        // Close-PrivilegedEndpoint's pipeline has finished, and the host asks before the server wrote the command's end.
        _host.Signal(HostSignals.CloseRequest(_sessionId));
        await _logger.LoggedAsync(1209);
        _host.Print(commandsLastData);
        Assert.Equal(commandsLastData, await Sockets.ReceiveTextAsync());

        // The client, with everything, closes the command: that reaches the host, and only then the session's Close.
        await Sockets.SendTextAsync(commandClose);
        Assert.Equal(commandClose, await _host.NextWrittenAsync());
        _host.Print(commandCloseAck);
        Assert.Equal(commandCloseAck, await Sockets.ReceiveTextAsync());
        Assert.Equal(OutOfProcessPackets.CloseSession, await _host.NextWrittenAsync());

        _host.Print(OutOfProcessPackets.CloseSessionAck);
        await Sockets.SendTextAsync(OutOfProcessPackets.CloseSession);
        Assert.Equal(OutOfProcessPackets.CloseSessionAck, await Sockets.ReceiveTextAsync());
        _host.Exit(0);
        await Sockets.ReceiveCloseAsync();
        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.False(_host.TryTakeWritten(out string? extra), $"also written to the host: {extra}");
    }

    [Fact]
    public async Task AHostsCloseRequestForAnotherSession_IsOnlyLogged()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<first/>");
        Assert.Equal("<first/>", await _host.NextWrittenAsync());

        _host.Signal(HostSignals.CloseRequest(Guid.NewGuid()));
        await Sockets.SendTextAsync("<second/>");

        Assert.Equal("<second/>", await _host.NextWrittenAsync());
        await Sockets.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        Assert.Equal(SessionEndReason.Closed, await run);
        Assert.DoesNotContain(1209, _logger.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task EachKindOfHostProblem_IsLoggedWithTheEventIdOfItsKind()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);

        _host.Signal(HostSignals.Problem(_sessionId, HostProblem.SupportLogNotWritten, "support.log not written (unlockAttempt): Disk full"));
        _host.Signal(HostSignals.Problem(_sessionId, HostProblem.StreamLogNotWritten, "endpoint-streams.log not written"));
        _host.Signal(HostSignals.Problem(_sessionId, HostProblem.CommandAfterClose, "Set-AzSLegalNotice refused"));
        await _logger.LoggedAsync(1632);
        _host.Exit(0);
        await Sockets.ReceiveCloseAsync();
        await run;

        Assert.Equal(
            [(LogLevel.Error, 1630), (LogLevel.Error, 1631), (LogLevel.Warning, 1632)],
            _logger.Events.Where(e => e.EventId is >= 1630 and < 1640).Select(e => (e.Level, e.EventId)).ToArray());
        Assert.Contains(_logger.Events, e => e.EventId == 1630 && e.Message == $"Session {_sessionId}: support.log could not be written; the step was refused: support.log not written (unlockAttempt): Disk full");
    }

    [Fact]
    public async Task AHostsDiagnostic_IsLoggedAsAWarningOfItsSession_WithItsOwnEventId()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<first/>");

        _host.Signal(HostSignals.Diagnostic(_sessionId, "support.log not written: Disk full"));
        _host.Signal("some other line pwsh printed");
        await _logger.LoggedAsync(1204);
        _host.Exit(0);
        await Sockets.ReceiveCloseAsync();
        await run;

        (LogLevel level, int _, string message) = Assert.Single(_logger.Events, e => e.EventId == 1212);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal($"Session {_sessionId}: the session host reports: support.log not written: Disk full", message);
        Assert.Contains((LogLevel.Debug, 1204), _logger.Events.Select(e => (e.Level, e.EventId)));
    }

    [Fact]
    public async Task AColdHostsReadySignal_CallsBack_OnceAndOnlyForItsSession()
    {
        int ready = 0;
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SessionEndReason> run = await StartAsync(Unhurried, () =>
        {
            Interlocked.Increment(ref ready);
            called.TrySetResult();
        });
        await Sockets.SendTextAsync("<first/>");

        // Another session's ready line is only a diagnostic; then comes this session's.
        _host.Signal(HostSignals.Ready(Guid.NewGuid()));
        _host.Signal(HostSignals.Ready(_sessionId));
        await called.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _host.Exit(0);
        await Sockets.ReceiveCloseAsync();
        await run;

        Assert.Equal(1, ready);
        Assert.Contains((LogLevel.Debug, 1204), _logger.Events.Select(e => (e.Level, e.EventId)));
    }

    [Fact]
    public async Task AnElevationWhoseGrantRunsOut_KillsTheHostWithoutWaiting_AndTellsTheClientInPlainWords()
    {
        var time = new FakeTimeProvider();
        Task<SessionEndReason> run = await StartAsync(Limits with { IdleTimeoutSeconds = 3600, HandshakeTimeoutSeconds = 3600 }, elevation: new ElevationDeadline(time, TimeSpan.FromHours(8)));

        _host.Signal(HostSignals.Elevating(_sessionId, TimeSpan.FromSeconds(30)));
        await _logger.LoggedAsync(1610);
        _host.Signal(HostSignals.Elevating(_sessionId, TimeSpan.FromHours(8)));
        await _logger.LoggedAsync(1611);
        time.Advance(TimeSpan.FromSeconds(30));
        (WebSocketCloseStatus? status, string? text) = await Sockets.ReceiveCloseAsync();

        Assert.Equal(SessionEndReason.SupportSessionEnded, await run);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("The support session ended and everything it started was stopped. Open a new session; it will be restricted.", text);
        Assert.Equal(["killed"], _host.Events);
        Assert.Equal(["marked SupportSessionEnded; host running", "sealed SupportSessionEnded; host gone"], _gatewaySteps);
    }

    [Fact]
    public async Task AfterTheHostAskedToClose_NothingTheClientSendsReachesIt()
    {
        Task<SessionEndReason> run = await StartAsync(Unhurried);
        await Sockets.SendTextAsync("<Data before/>");
        Assert.Equal("<Data before/>", await _host.NextWrittenAsync());

        _host.Signal(HostSignals.CloseRequest(_sessionId));
        Assert.Equal(OutOfProcessPackets.CloseSession, await _host.NextWrittenAsync());
        await Sockets.SendTextAsync("<Command after the seal/>");
        await _logger.LoggedAsync(1620);
        _host.Print(OutOfProcessPackets.CloseSessionAck);
        await Sockets.SendTextAsync(OutOfProcessPackets.CloseSession);
        Assert.Equal(OutOfProcessPackets.CloseSessionAck, await Sockets.ReceiveTextAsync());
        _host.Exit(0);
        await Sockets.ReceiveCloseAsync();
        Assert.Equal(SessionEndReason.Closed, await run);

        Assert.False(_host.TryTakeWritten(out string? leaked), $"relayed after the close request: {leaked}");
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _sockets?.Dispose();
        _connectionAborted.Dispose();
        _gatewayStopping.Dispose();
    }

    private async Task<Task<SessionEndReason>> StartAsync(GatewayLimits limits, Action? hostReady = null, ElevationDeadline? elevation = null)
    {
        _sockets = await LoopbackWebSockets.ConnectAsync();
        _relay = new SessionRelay(_sockets.Server, _host, limits, _sessionId, _logger, hostReady, elevation: elevation);
        return _relay.RunAsync(MarkEnded, SealAsync, _connectionAborted.Token, _gatewayStopping.Token);
    }

    private void MarkEnded(SessionEndReason reason)
    {
        lock (_gatewaySteps)
        {
            _gatewaySteps.Add($"marked {reason}; host {(_host.ExitCode == -1 ? "running" : "gone")}");
        }
    }

    private Task<SessionEndReason> SealAsync(SessionEndReason reason)
    {
        lock (_gatewaySteps)
        {
            _gatewaySteps.Add($"sealed {reason}; host {(_host.ExitCode == -1 ? "running" : "gone")}");
        }

        return Task.FromResult(reason);
    }
}
