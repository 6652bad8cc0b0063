using System.Text;
using Pep.Core.Syslog;

namespace Pep.Core.Tests.Syslog;

public sealed class SyslogFrameTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 30, 1, 2, 3, 456, TimeSpan.Zero);

    [Fact]
    public void Message_IsRfc5424_WithAuthprivPriority_TheInstanceAsHost_AndTheEventIdAsMsgId()
    {
        string message = SyslogFrame.Message(Time, "ERCS01", 6, 1100, "CEF:0|x");

        Assert.Equal("<86>1 2026-11-30T01:02:03.456Z ERCS01 PrivilegedEndpoint - 1100 - CEF:0|x", message);
    }

    [Fact]
    public void OctetCounted_PrefixesTheLengthInBytes()
    {
        Assert.Equal("6 h\u00e9llo", Encoding.UTF8.GetString(SyslogFrame.OctetCounted("h\u00e9llo")));
    }

    [Fact]
    public void Message_LongerThanTheLimit_IsCutToIt_WithoutSplittingACharacter()
    {
        string message = SyslogFrame.Message(Time, "ERCS01", 6, 1100, new string('\u00e9', SyslogFrame.MaxMessageBytes));

        Assert.True(Encoding.UTF8.GetByteCount(message) <= SyslogFrame.MaxMessageBytes);
        Assert.True(Encoding.UTF8.GetByteCount(message) > SyslogFrame.MaxMessageBytes - 2);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(message)));
    }
}
