using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Pep.Core.Contracts.Broker;
using Pep.Core.Sessions;
using Pep.Gateway.Broker;
using Pep.Gateway.Tests.Relay;

namespace Pep.Gateway.Tests.Broker;

/// <summary>
/// A session's broker on a real Unix socket, with the kernel's peer credentials: it serves the session of its
/// socket only, refuses what is not a whole valid request from that session's host, and keeps serving.
/// </summary>
public sealed class SessionBrokerTests : IAsyncLifetime
{
    private const int RequestEvent = 1410;
    private const int OutcomeEvent = 1411;
    private const int PeerRefusedEvent = 1412;
    private const int RequestRefusedEvent = 1413;
    private const int BusyEvent = 1414;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-bt-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ScriptedBrokerHandler _handler = new();
    private readonly RecordingLogger _logger = new();
    private readonly List<SessionBroker> _brokers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _handler.Hold?.TrySetResult();
        foreach (SessionBroker broker in _brokers)
        {
            await broker.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A broker whose host is this test process (and the processes it starts), bound to a session unless told otherwise.</summary>
    private (SessionBroker Broker, SessionIdentity Session) Open(BrokerPeerPolicy? policy = null, bool bind = true)
    {
        var session = new SessionIdentity(Guid.NewGuid(), @"AZURESTACK\operator", "ERCS01", "10.0.0.9", DateTimeOffset.UtcNow, _root, "en-US", "en-US");
        SessionBroker broker = SessionBroker.Listen(Path.Combine(_root, session.SessionId.ToString("N")[..8], "socket"), session.SessionId, _handler, _logger);
        _brokers.Add(broker);
        broker.AdmitHost(policy ?? BrokerPeerPolicy.ForHost(Environment.ProcessId));
        if (bind)
        {
            broker.Bind(session);
        }

        return (broker, session);
    }

    private static byte[] Header(uint length)
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    [Fact]
    public async Task ARequest_IsServedForTheSessionOfItsSocket_WithItsProgress_AndAudited()
    {
        (SessionBroker a, SessionIdentity sessionA) = Open();
        (SessionBroker b, SessionIdentity sessionB) = Open();

        (List<BrokerReply> interim, BrokerReply? final) = await BrokerPeer.AskAsync(a.Path, new RemoveAccountRequest("bob", CheckOnly: false));
        (_, BrokerReply? finalB) = await BrokerPeer.AskAsync(b.Path, new ListAccountsRequest());

        Assert.Equal(sessionA.SessionId, (await _handler.NextEnteredAsync()).Session);
        Assert.Equal(sessionB.SessionId, (await _handler.NextEnteredAsync()).Session);
        Assert.Equal("working", Assert.IsType<BrokerProgress>(Assert.Single(interim)).Status);
        Assert.Equal($"done for {sessionA.SessionId}", Assert.IsType<DoneReply>(final).Message);
        Assert.Equal($"done for {sessionB.SessionId}", Assert.IsType<DoneReply>(finalB).Message);
        await _logger.LoggedAsync(OutcomeEvent);
        Assert.Contains(_logger.Events, e => e.EventId == RequestEvent && e.Message.Contains(sessionA.SessionId.ToString(), StringComparison.Ordinal)
                                             && e.Message.Contains(@"AZURESTACK\operator asks Remove-CloudAdminUser 'bob'", StringComparison.Ordinal));
        Assert.Contains(_logger.Events, e => e.EventId == OutcomeEvent && e.Message.Contains("Remove-CloudAdminUser 'bob'", StringComparison.Ordinal) && e.Message.Contains(": Done in", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"kind\":\"removeAccount\",\"userName\":\"bob\",\"checkOnly\":false,\"sessionId\":\"00000000-0000-0000-0000-000000000001\"}")]
    [InlineData("{\"kind\":\"formatDisk\"}")]
    public async Task GarbageOrAnUnknownRequest_IsRefused_AndTheNextRequestIsServed(string payload)
    {
        (SessionBroker broker, _) = Open();

        await using (BrokerPeer peer = await BrokerPeer.ConnectAsync(broker.Path))
        {
            await peer.SendAsync(Encoding.UTF8.GetBytes(payload), frame: true);
            (_, BrokerReply? refused) = await peer.ReadRepliesAsync();
            Assert.Equal("BrokerRequestRefused", Assert.IsType<BrokerFailure>(refused).ErrorId);
        }

        (_, BrokerReply? served) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());
        Assert.IsType<DoneReply>(served);
        Assert.Contains(_logger.Events, e => e.EventId == RequestRefusedEvent);
        Assert.DoesNotContain(_logger.Events, e => e.EventId == RequestEvent && e.Message.Contains("Remove", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOversizeFrame_IsRefusedFromItsLength_WithoutItsPayload()
    {
        (SessionBroker broker, _) = Open();
        await using BrokerPeer peer = await BrokerPeer.ConnectAsync(broker.Path);

        await peer.SendAsync(Header(512 * 1024 * 1024), frame: false);
        (_, BrokerReply? refused) = await peer.ReadRepliesAsync();

        Assert.Contains("536870912 bytes was refused", Assert.IsType<BrokerFailure>(refused).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHalfFrame_IsClosedWhenTheReadTimeIsUp_AndAnInvalidRequestIsRefusedWithItsReason()
    {
        (SessionBroker broker, _) = Open();
        await using (BrokerPeer half = await BrokerPeer.ConnectAsync(broker.Path))
        {
            await half.SendAsync([.. Header(100), .. "{\"kind\""u8.ToArray()], frame: false);
            var waited = Stopwatch.StartNew();
            (_, BrokerReply? none) = await half.ReadRepliesAsync();
            Assert.Null(none);
            Assert.True(waited.Elapsed >= SessionBroker.RequestReadTimeout - TimeSpan.FromSeconds(1), waited.Elapsed.ToString());
        }

        Assert.Contains(_logger.Events, e => e.EventId == RequestRefusedEvent && e.Message.Contains("no complete request within 5 s", StringComparison.Ordinal));
        (_, BrokerReply? invalid) = await BrokerPeer.AskAsync(broker.Path, new SetDnsForwardersRequest([]));
        Assert.Equal("BrokerRequestRefused", Assert.IsType<BrokerFailure>(invalid).ErrorId);
    }

    [Fact]
    public async Task AHostKilledMidRequest_HasItsWorkCancelled_AndTheBrokerServesTheNextOne()
    {
        (SessionBroker broker, _) = Open();
        _handler.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string frameFile = Path.Combine(_root, "request.bin");
        byte[] payload = BrokerFrames.Encode(new ListAccountsRequest());
        await File.WriteAllBytesAsync(frameFile, [.. Header((uint)payload.Length), .. payload]);

        // A real process of its own connects, sends a whole request and waits; it is then killed with SIGKILL.
        using var host = Process.Start(new ProcessStartInfo("/usr/bin/perl")
        {
            ArgumentList =
            {
                "-MIO::Socket::UNIX", "-e",
                "my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or die $!; open(my $f, '<:raw', $ARGV[1]) or die $!; local $/; my $d = <$f>; print {$s} $d; $s->flush; sleep 600;",
                broker.Path, frameFile,
            },
        })!;
        try
        {
            await _handler.NextEnteredAsync();
            host.Kill();
            await _handler.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            host.Kill();
        }

        _handler.Hold = null;
        (_, BrokerReply? next) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());
        Assert.IsType<DoneReply>(next);
        Assert.Contains(_logger.Events, e => e.EventId == OutcomeEvent && e.Message.Contains("BrokerRequestCancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APeerRunningAsAnotherUser_OrNotFromTheSessionsHost_IsRefusedBeforeItsRequestIsRead()
    {
        (SessionBroker otherUser, _) = Open(new BrokerPeerPolicy(BrokerPeerPolicy.SessionHostUid() + 1, _ => true));
        using var unrelated = Process.Start(new ProcessStartInfo("/bin/sleep", "600"))!;
        (SessionBroker otherHost, _) = Open(BrokerPeerPolicy.ForHost(unrelated.Id));
        try
        {
            foreach (SessionBroker broker in new[] { otherUser, otherHost })
            {
                (_, BrokerReply? final) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());
                Assert.Null(final);
            }
        }
        finally
        {
            unrelated.Kill();
        }

        Assert.Equal(2, _logger.Events.Count(e => e.EventId == PeerRefusedEvent && e.Message.Contains($"pid {Environment.ProcessId}", StringComparison.Ordinal)));
        Assert.DoesNotContain(_logger.Events, e => e.EventId == RequestEvent);
    }

    [Fact]
    public async Task AWarmHostsBroker_ServesNothingUntilItsSessionIsBound()
    {
        (SessionBroker broker, SessionIdentity session) = Open(bind: false);

        (_, BrokerReply? before) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());
        broker.Bind(session);
        (_, BrokerReply? after) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());

        Assert.Equal("SessionNotStarted", Assert.IsType<BrokerFailure>(before).ErrorId);
        Assert.IsType<DoneReply>(after);
        Assert.Throws<InvalidOperationException>(() => broker.Bind(session));
    }

    [Fact]
    public async Task RequestsBeyondTheLimitInFlight_AreRefusedAsBusy_AndTheOthersFinish()
    {
        (SessionBroker broker, _) = Open();
        _handler.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Enumerable.Range(0, SessionBroker.MaxRequestsInFlight).Select(_ => BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest())).ToList();
        for (int i = 0; i < SessionBroker.MaxRequestsInFlight; i++)
        {
            await _handler.NextEnteredAsync();
        }

        (_, BrokerReply? refused) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());
        _handler.Hold.SetResult();

        Assert.Equal("BrokerBusy", Assert.IsType<BrokerFailure>(refused).ErrorId);
        Assert.All(await Task.WhenAll(held), result => Assert.IsType<DoneReply>(result.Final));
        Assert.Contains(_logger.Events, e => e.EventId == BusyEvent);
    }

    [Fact]
    public async Task ARequestOverItsTime_IsStoppedAndSaysSo()
    {
        (SessionBroker broker, _) = Open();
        _handler.Timeout = TimeSpan.FromMilliseconds(200);
        _handler.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        (_, BrokerReply? final) = await BrokerPeer.AskAsync(broker.Path, new ListAccountsRequest());

        Assert.Equal("BrokerRequestTimedOut", Assert.IsType<BrokerFailure>(final).ErrorId);
    }

    [Fact]
    public async Task APassword_ReachesNoEventOfTheGatewayLog()
    {
        const string password = "Sup3r-Secret-Pw!";
        (SessionBroker broker, _) = Open();

        await BrokerPeer.AskAsync(broker.Path, new SetAccountPasswordRequest("bob", Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(password + "2"), CheckOnly: false));

        (BrokerRequest request, _) = await _handler.NextEnteredAsync();
        await _logger.LoggedAsync(OutcomeEvent);
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        Assert.All(_logger.Events, e => Assert.DoesNotContain(password, e.Message, StringComparison.Ordinal));
        Assert.All(_logger.Events, e => Assert.DoesNotContain(base64[..12], e.Message, StringComparison.Ordinal));
        Assert.All(((SetAccountPasswordRequest)request).CurrentPassword, b => Assert.Equal(0, b));
    }
}
