using Pep.Core.Stamp.Logs;

namespace Pep.Core.Tests.Stamp.Logs;

public sealed class LogWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NoDates_IsTheLastFourHours()
    {
        LogWindow window = LogWindow.Resolve(null, null, Now);

        Assert.Equal(Now.AddHours(-4), window.FromUtc);
        Assert.Equal(Now, window.ToUtc);
    }

    [Fact]
    public void OnlyToDate_IsTheFourHoursBeforeIt()
    {
        LogWindow window = LogWindow.Resolve(null, new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 4, 0, 0, TimeSpan.Zero), window.FromUtc);
    }

    [Fact]
    public void LocalDates_AreConvertedToUtc()
    {
        var local = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Local);

        LogWindow window = LogWindow.Resolve(local, null, Now);

        Assert.Equal(local.ToUniversalTime(), window.FromUtc.UtcDateTime);
        Assert.Equal(Now, window.ToUtc);
    }

    [Fact]
    public void WithoutToDate_TheWindowIsOpenEnded_SoALiveLogWrittenDuringTheCollectionCounts()
    {
        LogWindow open = LogWindow.Resolve(null, null, Now);
        LogWindow closed = LogWindow.Resolve(null, Now.UtcDateTime, Now);

        Assert.True(open.Covers(Now.AddSeconds(2).UtcDateTime, Now.AddSeconds(2).UtcDateTime));
        Assert.False(closed.Covers(Now.AddSeconds(2).UtcDateTime, Now.AddSeconds(2).UtcDateTime));
    }

    [Fact]
    public void ReversedDates_AreAnError()
    {
        Assert.Throws<ArgumentException>(() => LogWindow.Resolve(Now.UtcDateTime, Now.UtcDateTime.AddMinutes(-1), Now));
    }

    [Theory]
    [InlineData(-300, -290, false)]   // created and last written before the window
    [InlineData(-300, -200, true)]    // written into the window
    [InlineData(-100, -50, true)]     // inside
    [InlineData(-300, 10, true)]      // spans the window
    [InlineData(5, 10, false)]        // after the window
    [InlineData(10, -300, false)]     // copied file (created now, old contents): its last write decides
    public void Covers_WhenTheFileSpanOverlapsTheWindow(int createdMinutes, int writtenMinutes, bool expected)
    {
        var window = new LogWindow(Now.AddMinutes(-240), Now);

        bool covered = window.Covers(Now.AddMinutes(createdMinutes).UtcDateTime, Now.AddMinutes(writtenMinutes).UtcDateTime);

        Assert.Equal(expected, covered);
    }
}
