using Pep.Core.Support;
using Pep.SessionModule.Support;

namespace Pep.SessionModule.Tests.Support;

/// <summary>The warning the support cmdlets show (and the transcript keeps) after a lock-back.</summary>
public sealed class LockBackBannerTests
{
    private static readonly SupportElevation Elevation =
        new(Guid.NewGuid(), @"AZURESTACK\cloudadmin", new DateTimeOffset(2026, 11, 25, 14, 2, 11, TimeSpan.Zero), 0, TimeSpan.FromHours(4), TimeSpan.FromHours(4), "ab12");

    [Theory]
    [InlineData(SupportLockReason.TimeRanOut, "the granted time ran out")]
    [InlineData(SupportLockReason.SessionEnded, "the session ended")]
    public void Banner_SaysWhenInUtcAndWhy(SupportLockReason reason, string why)
    {
        var lockBack = new SupportLockBack(Elevation, new DateTimeOffset(2026, 11, 25, 19, 2, 11, TimeSpan.FromHours(1)), reason);

        Assert.Equal(
            $"SUPPORT SESSION LOCKED BACK at 2026-11-25 18:02:11Z ({why}): this session is the restricted privileged endpoint again.",
            SupportCmdlet.LockBackBanner(lockBack));
    }
}
