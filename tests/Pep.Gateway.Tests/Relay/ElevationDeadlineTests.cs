using Microsoft.Extensions.Time.Testing;
using Pep.Gateway.Relay;

namespace Pep.Gateway.Tests.Relay;

/// <summary>The gateway's hold on a support elevation's end: one per session, bounded, on the gateway's own clock.</summary>
public sealed class ElevationDeadlineTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ElevationDeadline _deadline;

    public ElevationDeadlineTests() => _deadline = new ElevationDeadline(_time, TimeSpan.FromHours(4));

    [Fact]
    public void AnElevation_EndsWhenItsTimeHasRunOutOnTheGatewaysClock_NotBefore()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), _deadline.TryStart(TimeSpan.FromMinutes(30)));

        _time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1));
        Assert.False(_deadline.Ended.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(_deadline.Ended.IsCompleted);
    }

    [Fact]
    public void ASecondElevationOfTheSameSession_IsRefused_AndTheFirstOnesEndStands()
    {
        _deadline.TryStart(TimeSpan.FromMinutes(10));

        Assert.Null(_deadline.TryStart(TimeSpan.FromHours(4)));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(_deadline.Ended.IsCompleted);
    }

    [Fact]
    public void AnElevationLongerThanTheDeploymentAllows_IsCutToItsMaximum()
    {
        Assert.Equal(TimeSpan.FromHours(4), _deadline.TryStart(TimeSpan.FromHours(7)));
    }

    [Fact]
    public void NoDeploymentMaximum_LetsAnElevationLastLongerThanEightHours()
    {
        using var unbounded = new ElevationDeadline(_time, TimeSpan.FromDays(2));

        Assert.Equal(ElevationDeadline.Ceiling, unbounded.TryStart(TimeSpan.FromDays(1)));
        Assert.Equal(TimeSpan.FromHours(8), ElevationDeadline.Ceiling);
    }

    [Fact]
    public void WithoutAnElevation_NothingEnds()
    {
        _time.Advance(TimeSpan.FromDays(1));

        Assert.False(_deadline.Ended.IsCompleted);
    }

    public void Dispose() => _deadline.Dispose();
}
