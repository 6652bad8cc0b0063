using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

public sealed class SupportDurationTests
{
    [Theory]
    [InlineData("4h", 4 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("45s", 45)]
    [InlineData(" 8H ", 8 * 3600)]
    public void Parse_ReadsDurationsAsPeopleTypeThem(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SupportDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("4 hours")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    public void Parse_OfAnythingElse_IsAFormatException(string text)
    {
        Assert.Throws<FormatException>(() => SupportDuration.Parse(text));
    }
}
