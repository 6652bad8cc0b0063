using Pep.Core.Support;
using Pep.SessionModule.Support;

namespace Pep.SessionModule.Tests.Support;

/// <summary>What Get-SupportSessionInfo reports, made from the support session's status.</summary>
public sealed class SupportSessionInfoTests
{
    private static readonly DateTimeOffset Since = new(2026, 11, 25, 14, 2, 11, TimeSpan.Zero);
    private static readonly Guid SupportSessionId = Guid.Parse("0d1e5f6a-7b8c-4d9e-8f01-23456789abcd");

    private static SupportElevation Elevation => new(SupportSessionId, @"AZURESTACK\cloudadmin", Since, 0, TimeSpan.FromHours(4), TimeSpan.FromHours(8), "ab12cd");

    [Fact]
    public void WithoutASupportAuthority_ItIsLockedWithNothingPending()
    {
        SupportSessionInfo info = SupportSessionInfo.From(null, null);

        Assert.Equal("Locked", info.State);
        Assert.False(info.RequestPending);
        Assert.Null(info.UnlockedBy);
        Assert.Null(info.RemainingTime);
        Assert.Null(info.SupportAuthority);
    }

    [Fact]
    public void Elevated_SaysWhoUnlockedItUntilWhen_AndTheTimeLeftInWholeSecondsRoundedUp()
    {
        var status = new SupportSessionStatus(SupportSessionState.Elevated, false, Elevation, TimeSpan.FromSeconds(100.2), null);

        SupportSessionInfo info = SupportSessionInfo.From(status, "key-1");

        Assert.Equal("Elevated", info.State);
        Assert.Equal(@"AZURESTACK\cloudadmin", info.UnlockedBy);
        Assert.Equal(new DateTime(2026, 11, 25, 14, 2, 11, DateTimeKind.Utc), info.ElevatedSinceUtc);
        Assert.Equal(new DateTime(2026, 11, 25, 18, 2, 11, DateTimeKind.Utc), info.ElevatedUntilUtc);
        Assert.Equal(DateTimeKind.Utc, info.ElevatedUntilUtc!.Value.Kind);
        Assert.Equal(TimeSpan.FromSeconds(101), info.RemainingTime);
        Assert.Equal(TimeSpan.FromHours(8), info.GrantedDuration);
        Assert.Equal(SupportSessionId, info.SupportSessionId);
        Assert.Equal("key-1", info.SupportAuthority);
    }

    [Fact]
    public void TimeLeftBelowZero_IsShownAsZero()
    {
        var status = new SupportSessionStatus(SupportSessionState.Elevated, false, Elevation, TimeSpan.FromSeconds(-0.5), null);

        Assert.Equal(TimeSpan.Zero, SupportSessionInfo.From(status, null).RemainingTime);
    }

    [Fact]
    public void AfterALockBack_SaysWhenAndWhy_WithARequestStillPending()
    {
        var lockBack = new SupportLockBack(Elevation, Since.AddHours(4), SupportLockReason.TimeRanOut);
        var status = new SupportSessionStatus(SupportSessionState.Locked, true, null, null, lockBack);

        SupportSessionInfo info = SupportSessionInfo.From(status, null);

        Assert.Equal("Locked", info.State);
        Assert.True(info.RequestPending);
        Assert.Null(info.UnlockedBy);
        Assert.Equal(new DateTime(2026, 11, 25, 18, 2, 11, DateTimeKind.Utc), info.LastLockBackUtc);
        Assert.Equal("TimeRanOut", info.LastLockBackReason);
    }
}
