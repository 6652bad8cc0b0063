using Pep.Core.Syslog;

namespace Pep.Core.Tests.Syslog;

public sealed class CefFormatTests
{
    [Fact]
    public void Format_WritesTheOriginalsHeader_ThenTheExtensionsInOrder()
    {
        var cef = new CefEvent(1100, "LoginSucceeded", 5, [new("suser", @"AZURESTACK\cloudadmin"), new("src", "10.0.0.5")]);

        Assert.Equal(@"CEF:0|Microsoft|Microsoft Azure Stack Hub|1.0|1100|LoginSucceeded|5|suser=AZURESTACK\\cloudadmin src=10.0.0.5", CefFormat.Format(cef));
    }

    [Fact]
    public void Header_EscapesPipeAndBackslash_AndMakesLineBreaksSpaces()
    {
        Assert.Equal(@"a\|b\\c d e", CefFormat.Header("a|b\\c\nd\re"));
    }

    [Fact]
    public void Extension_EscapesEqualsAndBackslash_AndWritesLineBreaksAsEscapes_ButLeavesPipes()
    {
        Assert.Equal(@"x\=1 \\ y\nz\r|", CefFormat.Extension("x=1 \\ y\nz\r|"));
    }

    [Fact]
    public void Format_AValueCannotStartAFieldOrALineOfItsOwn()
    {
        var cef = new CefEvent(1101, "Login|Refused\nCEF:0|forged", 7, [new("suser", "evil act=Remove\nCEF:0|Microsoft|x")]);

        string line = CefFormat.Format(cef);

        Assert.DoesNotContain('\n', line);
        Assert.Equal(@"CEF:0|Microsoft|Microsoft Azure Stack Hub|1.0|1101|Login\|Refused CEF:0\|forged|7|suser=evil act\=Remove\nCEF:0|Microsoft|x", line);
    }

    [Fact]
    public void Format_KeepsTheSeverityWithinZeroToTen()
    {
        Assert.EndsWith("|10|", CefFormat.Format(new CefEvent(1, "High", 42, [])), StringComparison.Ordinal);
        Assert.EndsWith("|0|", CefFormat.Format(new CefEvent(1, "Low", -3, [])), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_RefusesAKeyThatIsNotLettersAndDigits()
    {
        Assert.Throws<ArgumentException>(() => CefFormat.Format(new CefEvent(1, "x", 1, [new("bad key", "v")])));
    }
}
