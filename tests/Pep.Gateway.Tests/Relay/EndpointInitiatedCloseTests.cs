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
        close.Request();
        Task waiting = close.WaitForClientAsync(TimeSpan.FromMinutes(5));
        Assert.False(waiting.IsCompleted);

        close.Answered();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        await new EndpointInitiatedClose().WaitForClientAsync(TimeSpan.FromMilliseconds(10)).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
