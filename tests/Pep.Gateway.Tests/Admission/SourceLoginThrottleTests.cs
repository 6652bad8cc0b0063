using Microsoft.Extensions.Time.Testing;
using Pep.Core.Deployment;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Tests.Admission;

public sealed class SourceLoginThrottleTests
{
    private static readonly GatewayLimits Limits = new() { LoginFailuresBeforeSlowdown = 2, LoginSlowdownStepSeconds = 1, LoginFailuresBeforeBlock = 5, SourceBlockMinutes = 15 };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SourceLoginThrottle _throttle;

    public SourceLoginThrottleTests() => _throttle = new SourceLoginThrottle(Limits, _time);

    [Fact]
    public void Failures_SlowTheSourceDownStepByStep_ThenBlockIt()
    {
        var delays = new List<TimeSpan>();
        for (int i = 0; i < 4; i++)
        {
            _throttle.Failed("10.0.0.66");
            delays.Add(_throttle.Check("10.0.0.66").Delay);
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);

        _throttle.Failed("10.0.0.66");
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), _throttle.Check("10.0.0.66").BlockedUntil);
    }

    [Fact]
    public void ABlockedSource_LeavesOtherSourcesFree()
    {
        for (int i = 0; i < 5; i++)
        {
            _throttle.Failed("10.0.0.66");
        }

        Assert.Equal(SourceVerdict.Free, _throttle.Check("10.0.0.7"));
    }

    [Fact]
    public void ABlock_EndsAfterItsTime_AndTheSourceStartsAfresh()
    {
        for (int i = 0; i < 5; i++)
        {
            _throttle.Failed("10.0.0.66");
        }

        _time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(SourceVerdict.Free, _throttle.Check("10.0.0.66"));
        _throttle.Failed("10.0.0.66");
        Assert.Equal(SourceVerdict.Free, _throttle.Check("10.0.0.66"));
    }

    [Fact]
    public void ASuccess_ForgetsTheSourcesFailures()
    {
        for (int i = 0; i < 4; i++)
        {
            _throttle.Failed("10.0.0.7");
        }

        _throttle.Succeeded("10.0.0.7");

        Assert.Equal(SourceVerdict.Free, _throttle.Check("10.0.0.7"));
    }

    [Fact]
    public void Prune_KeepsABlockedSource()
    {
        for (int i = 0; i < 5; i++)
        {
            _throttle.Failed("10.0.0.66");
        }

        _throttle.Prune();

        Assert.NotNull(_throttle.Check("10.0.0.66").BlockedUntil);
    }
}
