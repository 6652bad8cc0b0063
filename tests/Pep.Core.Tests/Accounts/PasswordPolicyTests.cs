using Pep.Core.Accounts;

namespace Pep.Core.Tests.Accounts;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Correct-Horse-9")]
    [InlineData("abcdefgh1234!")]
    public void Check_AcceptsPasswordsThatMeetThePolicy(string password)
        => Assert.Null(PasswordPolicy.Check(password, "cloudadmin"));

    [Theory]
    [InlineData("Short-1a")]
    [InlineData("alllowercaseletters")]
    [InlineData("Cloudadmin-123")]
    public void Check_RefusesWeakPasswordsWithoutEchoingThem(string password)
    {
        string? error = PasswordPolicy.Check(password, "cloudadmin");

        Assert.NotNull(error);
        Assert.DoesNotContain(password, error, StringComparison.Ordinal);
    }
}
