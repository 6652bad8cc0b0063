using System.Security.Cryptography;
using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

public sealed class SupportTokenTextTests
{
    private static readonly byte[] Body = RandomNumberGenerator.GetBytes(700);

    [Fact]
    public void Encode_ThenDecode_GivesTheBodyBack()
    {
        string text = SupportTokenText.Encode(SupportTokenKind.Request, Body);

        byte[] binary = SupportTokenText.DecodeBinary(text, SupportTokenKind.Request);

        Assert.Equal(Body, SupportTokenText.Body(binary).ToArray());
    }

    [Fact]
    public void Encode_WritesGroupsOfEightInLinesOfSixtyFourCharacters()
    {
        string text = SupportTokenText.Encode(SupportTokenKind.Request, Body);

        string[] lines = text.Split('\n');
        Assert.True(lines.Length > 1);
        Assert.All(lines[..^1], line => Assert.Equal(8 * 8 + 7, line.Length));
        Assert.All(text.Split([' ', '\n']), group => Assert.InRange(group.Length, 1, 8));
        Assert.Matches("^[A-Za-z0-9_\\- \\n]+$", text);
    }

    [Fact]
    public void Encode_OfAResponse_WritesOneLineForThePrompt()
    {
        string text = SupportTokenText.Encode(SupportTokenKind.Response, Body);

        Assert.DoesNotContain('\n', text);
        Assert.All(text.Split(' '), group => Assert.InRange(group.Length, 1, 8));
    }

    [Fact]
    public void Decode_IgnoresWhitespaceThatMailAndChatAdd()
    {
        string text = SupportTokenText.Encode(SupportTokenKind.Response, Body);
        string reflowed = "  \r\n" + text.Replace(" ", "\t", StringComparison.Ordinal).Replace("\tA", "\r\n   A", StringComparison.Ordinal) + "\r\n\r\n";

        byte[] binary = SupportTokenText.DecodeBinary(reflowed, SupportTokenKind.Response);

        Assert.Equal(Body, SupportTokenText.Body(binary).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(500)]
    public void Decode_WithOneCharacterChanged_SaysDamaged(int position)
    {
        char[] text = SupportTokenText.Encode(SupportTokenKind.Request, Body).ToCharArray();
        int index = Array.FindIndex(text, position, c => c is not (' ' or '\n'));
        text[index] = text[index] == 'A' ? 'B' : 'A';

        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(new string(text), SupportTokenKind.Request));

        Assert.Equal(SupportTokenFailure.Damaged, e.Failure);
        Assert.Contains("damaged in transit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WithALineMissing_SaysDamaged()
    {
        string[] lines = SupportTokenText.Encode(SupportTokenKind.Request, Body).Split('\n');

        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(string.Join('\n', lines.Where((_, i) => i != 2)), SupportTokenKind.Request));

        Assert.Equal(SupportTokenFailure.Damaged, e.Failure);
    }

    [Fact]
    public void Decode_WithCharactersOutsideBase64Url_SaysDamaged()
    {
        string text = SupportTokenText.Encode(SupportTokenKind.Request, Body);

        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(text.Insert(10, "…"), SupportTokenKind.Request));

        Assert.Equal(SupportTokenFailure.Damaged, e.Failure);
    }

    [Fact]
    public void Decode_OfARequestWhereAResponseIsExpected_SaysWrongKind()
    {
        string request = SupportTokenText.Encode(SupportTokenKind.Request, Body);

        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(request, SupportTokenKind.Response));

        Assert.Equal(SupportTokenFailure.WrongKind, e.Failure);
    }

    /// <summary>The README's bound, written out: tokens are bounded to 32,768 characters before any parsing.</summary>
    [Theory]
    [InlineData(32_769, SupportTokenFailure.TooLong)]
    [InlineData(32_768, SupportTokenFailure.Damaged)]
    public void Decode_OfHugeText_IsRefusedBeforeDecoding(int length, SupportTokenFailure failure)
    {
        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(new string('A', length), SupportTokenKind.Response));

        Assert.Equal(failure, e.Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData(null)]
    public void Decode_OfNothing_SaysNotAToken(string? text)
    {
        var e = Assert.Throws<SupportTokenException>(() => SupportTokenText.DecodeBinary(text, SupportTokenKind.Response));

        Assert.Equal(SupportTokenFailure.NotAToken, e.Failure);
    }
}
