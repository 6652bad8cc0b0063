using Pep.Gateway.Relay;


namespace Pep.Gateway.Tests.Relay;

public sealed class EndpointInitiatedCloseTests
{
    [Fact]
    public void BeforeARequest_NothingIsHeldOrAnswered()
    {
        var close = new EndpointInitiatedClose();

        Assert.False(close.HoldsBack(OutOfProcessPackets.CloseSessionAck, out _));
        Assert.False(close.Answers(OutOfProcessPackets.CloseSession, out _));
        Assert.False(close.Requested);
    }

    [Fact]
    public void TheHostsAck_IsHeldUntilTheClientAsks_ThenAnsweredOnce()
    {
        var close = new EndpointInitiatedClose();
        close.Request();

        Assert.False(close.HoldsBack("<Data Stream='Default' PSGuid='00000000-0000-0000-0000-000000000000'>AAA</Data>", out _));
        Assert.True(close.HoldsBack(OutOfProcessPackets.CloseSessionAck, out bool answerAtAck));
        Assert.False(answerAtAck);
        Assert.True(close.Answers(OutOfProcessPackets.CloseSession, out bool answerAtClose));
        Assert.True(answerAtClose);

        // A second Close of the client and any later ack of the host are relayed as usual.
        Assert.False(close.Answers(OutOfProcessPackets.CloseSession, out _));
        Assert.False(close.HoldsBack(OutOfProcessPackets.CloseSessionAck, out _));
    }

    [Fact]
    public void AClientThatAsksBeforeTheHostAcks_IsAnsweredWhenTheAckComes()
    {
        var close = new EndpointInitiatedClose();
        close.Request();

        Assert.True(close.Answers(OutOfProcessPackets.CloseSession, out bool answerAtClose));
        Assert.False(answerAtClose);
        Assert.True(close.HoldsBack(OutOfProcessPackets.CloseSessionAck, out bool answerAtAck));
        Assert.True(answerAtAck);
    }

    [Fact]
    public async Task WaitingForTheClient_EndsWhenAnswered_OrAfterTheGrace()
    {
        var close = new EndpointInitiatedClose();
        Assert.True(close.Request().IsCompleted);
        Task waiting = close.WaitForClientAsync(TimeSpan.FromMinutes(5));
        Assert.False(waiting.IsCompleted);

        close.Answered();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        await new EndpointInitiatedClose().WaitForClientAsync(TimeSpan.FromMilliseconds(10)).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private const string CommandId = "3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b";
    private const string OtherId = "233ebbb2-74a9-4345-bdaa-0c1d2e3f4a5b";

    [Fact]
    public void ARequestWithNoCommandOpen_IsReadyAtOnce_AndLetsNothingOfTheClientThrough()
    {
        var close = new EndpointInitiatedClose();
        close.ClientSent($"<Command PSGuid='{CommandId}' />");
        close.HostSent($"<CloseAck PSGuid='{CommandId}' />");

        Assert.True(close.Request().IsCompleted);
        Assert.False(close.StillForwarded($"<Close PSGuid='{CommandId}' />"));
        Assert.False(close.StillForwarded($"<Command PSGuid='{OtherId}' />"));
    }

    [Fact]
    public void ARequestWhileACommandIsOpen_WaitsForTheHostToAcknowledgeTheClientsCloseOfIt()
    {
        var close = new EndpointInitiatedClose();
        close.ClientSent($"<Command PSGuid='{CommandId}' />");
        close.ClientSent($"<Data Stream='Default' PSGuid='{CommandId}'>AAA</Data>");

        Task closed = close.Request();
        Assert.False(closed.IsCompleted);

        // Only the client's Close of that command still reaches the host; its data, a new command, or the Close of a
        // command it never started do not.
        Assert.True(close.StillForwarded($"<Close PSGuid='{CommandId}' />"));
        Assert.False(close.StillForwarded($"<Data Stream='Default' PSGuid='{CommandId}'>AAA</Data>"));
        Assert.False(close.StillForwarded($"<Command PSGuid='{OtherId}' />"));
        Assert.False(close.StillForwarded($"<Close PSGuid='{OtherId}' />"));

        close.HostSent($"<Data Stream='Default' PSGuid='{CommandId}'>AAA</Data>");
        close.HostSent($"<CloseAck PSGuid='{OtherId}' />");
        Assert.False(closed.IsCompleted);
        close.HostSent($"<CloseAck PSGuid='{CommandId}' />");
        Assert.True(closed.IsCompleted);
    }

    [Fact]
    public void AClientThatClosesTheWholeSessionInstead_EndsTheWaitForItsCommands()
    {
        var close = new EndpointInitiatedClose();
        close.ClientSent($"<Command PSGuid='{CommandId}' />");
        Task closed = close.Request();

        Assert.True(close.Answers(OutOfProcessPackets.CloseSession, out _));
        Assert.True(closed.IsCompleted);
    }

    [Theory]
    [InlineData("<Close PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b' />", true)]
    [InlineData("<Close PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b", false)]
    [InlineData("<Close PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6bX' />", false)]
    [InlineData("<Close PSGuid='not-a-guid-at-all-but-36-characters!!' />", false)]
    [InlineData(" <Close PSGuid='3ba4b9e3-930e-47e9-b688-4f0c2a1d5e6b' />", false)]
    public void ACommandsIdIsReadOnlyFromAWholePacket(string line, bool read)
    {
        Assert.Equal(read, CommandPackets.TryReadId(line, CommandPackets.ClosePrefix, out Guid id));
        Assert.Equal(read ? Guid.Parse(CommandId) : Guid.Empty, id);
    }
}
