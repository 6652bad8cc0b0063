using Pep.Core.Accounts;

namespace Pep.Core.Tests.Accounts;

public sealed class LockoutPolicyTests
{
    [Fact]
    public void DelayAfter_GrowsAfterTheFreeAttemptsAndIsBounded()
    {
        LockoutPolicy policy = LockoutPolicy.Default;

        Assert.Equal(TimeSpan.Zero, policy.DelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayAfter(3));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayAfter(4));
        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayAfter(1000));
    }

    [Fact]
    public void LockAfter_LocksAtTheThreshold()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Null(LockoutPolicy.Default.LockAfter(4, now));
        Assert.Equal(now.AddMinutes(15), LockoutPolicy.Default.LockAfter(5, now));
    }
}
