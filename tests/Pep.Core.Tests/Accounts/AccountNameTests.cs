using Pep.Core.Accounts;

namespace Pep.Core.Tests.Accounts;

public sealed class AccountNameTests
{
    [Theory]
    [InlineData(@"AZURESTACK\CloudAdmin", "cloudadmin")]
    [InlineData(@"azurestack\cloudadmin", "cloudadmin")]
    [InlineData("cloudadmin", "cloudadmin")]
    [InlineData("  ops.admin-2 ", "ops.admin-2")]
    public void TryParse_AcceptsPlainAndDomainQualifiedNames(string text, string expected)
    {
        AccountName? name = AccountName.TryParse(text, "AZURESTACK", out string? error);

        Assert.Null(error);
        Assert.Equal(expected, name!.User);
    }

    [Theory]
    [InlineData(@"OTHER\cloudadmin")]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("-dash")]
    [InlineData(@"AZURESTACK\")]
    [InlineData("name;rm")]
    public void TryParse_RefusesWhatIsNotAnAccountNameOfThisStamp(string text)
    {
        AccountName? name = AccountName.TryParse(text, "AZURESTACK", out string? error);

        Assert.Null(name);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Qualified_WritesTheDomainInUpperCase()
        => Assert.Equal(@"AZURESTACK\cloudadmin", AccountName.TryParse("cloudadmin", "azurestack", out _)!.Qualified("azurestack"));
}
