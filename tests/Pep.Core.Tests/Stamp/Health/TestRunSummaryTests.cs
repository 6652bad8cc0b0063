using Pep.Core.Stamp.Health;
using Pep.Core.Stamp.Manifest;
using static Pep.Core.Tests.Stamp.Health.HealthManifests;

namespace Pep.Core.Tests.Stamp.Health;

public sealed class TestRunSummaryTests
{
    private static readonly StampManifest TwoCategories = HealthManifests.Of(
        new StampRole { Name = "DNS", HealthTests = [Test("AzsNetworkInfra", "a")] },
        new StampRole { Name = "Portal", HealthTests = [Test("AzsPortalAPISummary", "b"), Test("AzsPortalAPISummary", "c")] });

    private static readonly StampManifest NoTests = HealthManifests.Of(new StampRole { Name = "DNS" });

    private static HealthTestResult Result(TestSelection selection, int index, HealthStatus status)
        => new(selection.Tests[index].Role.Name, selection.Tests[index].Test.Category, selection.Tests[index].Test.Name, status, "", TimeSpan.Zero);

    [Fact]
    public void EveryTestPassing_Passes_AndSaysHowManyRan()
    {
        TestSelection selection = TestSelection.Select(TwoCategories, null, null, null);

        var summary = TestRunSummary.Of(selection, [.. Enumerable.Range(0, 3).Select(i => Result(selection, i, HealthStatus.Pass))]);

        Assert.True(summary.Passed);
        Assert.Equal(3, summary.Finished);
        Assert.Equal([("AzsNetworkInfra", HealthStatus.Pass), ("AzsPortalAPISummary", HealthStatus.Pass)], summary.Categories);
        Assert.Equal("Test-AzureStack ran 3 of 3 selected tests in 2 categories: no failures.", summary.Conclusion());
    }

    [Fact]
    public void AStampWithNoTests_DoesNotPass_AndSaysWhy()
    {
        TestSelection selection = TestSelection.Select(NoTests, null, null, null);

        var summary = TestRunSummary.Of(selection, []);

        Assert.False(summary.Passed);
        Assert.True(summary.NothingRan);
        Assert.Contains("declares no health tests", TestRunSummary.WhyNothingSelected(selection), StringComparison.Ordinal);
        Assert.Equal("Test-AzureStack: group Default selects 0 categories of the 0 this stamp declares, 0 tests.", TestRunSummary.DescribeSelection(selection));
    }

    [Fact]
    public void ASelectionMatchingNoCategory_DoesNotPass_AndNamesTheStampsCategories()
    {
        TestSelection selection = TestSelection.Select(TwoCategories, "UpdateReadiness", null, null);

        var summary = TestRunSummary.Of(selection, []);

        Assert.False(summary.Passed);
        string why = TestRunSummary.WhyNothingSelected(selection)!;
        Assert.Contains("group UpdateReadiness", why, StringComparison.Ordinal);
        Assert.Contains("AzsNetworkInfra, AzsPortalAPISummary", why, StringComparison.Ordinal);
        Assert.Equal(["AzsInfraFileValidation", "AzsActionPlanStatus", "AzsStampBMCSummary"], selection.NotDeclared);
    }

    [Fact]
    public void ATestThatDidNotFinish_FailsItsCategory_AndTheRun()
    {
        TestSelection selection = TestSelection.Select(TwoCategories, null, null, null);

        var summary = TestRunSummary.Of(selection, [Result(selection, 0, HealthStatus.Pass), Result(selection, 1, HealthStatus.Pass), null]);

        Assert.False(summary.Passed);
        Assert.Equal(2, summary.Finished);
        Assert.Equal(HealthStatus.Fail, summary.Categories[1].Status);
        Assert.Equal("did not finish before Test-AzureStack's timeout", summary.Results[2].Detail);
        Assert.Equal("Test-AzureStack ran 2 of 3 selected tests in 2 categories: 1 did not finish before the timeout and count as failed.", summary.Conclusion());
    }

    [Fact]
    public void AFailure_FailsTheRun_AndAWarningOnlyUnderUpdateReadiness()
    {
        TestSelection all = TestSelection.Select(TwoCategories, null, null, null);
        var failed = TestRunSummary.Of(all, [Result(all, 0, HealthStatus.Fail), Result(all, 1, HealthStatus.Pass), Result(all, 2, HealthStatus.Pass)]);
        var warned = TestRunSummary.Of(all, [Result(all, 0, HealthStatus.Warn), Result(all, 1, HealthStatus.Pass), Result(all, 2, HealthStatus.Pass)]);

        Assert.False(failed.Passed);
        Assert.EndsWith("found failures.", failed.Conclusion(), StringComparison.Ordinal);
        Assert.True(warned.Passed);
    }

    [Fact]
    public void ResultsThatDoNotMatchTheSelection_AreRefused()
        => Assert.Throws<ArgumentException>(() => TestRunSummary.Of(TestSelection.Select(TwoCategories, null, null, null), []));
}
