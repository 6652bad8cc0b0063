using Pep.Core.Stamp.Health;
using Pep.Core.Stamp.Manifest;
using static Pep.Core.Tests.Stamp.Health.HealthManifests;

namespace Pep.Core.Tests.Stamp.Health;

public sealed class TestSelectionTests
{
    private static readonly StampManifest Manifest = HealthManifests.Of(
        new StampRole { Name = "DNS", HealthTests = [Test("AzsNetworkInfra", "a"), Test("AzsInfraFileValidation", "b")] },
        new StampRole { Name = "Storage", HealthTests = [Test("AzsStorageSvcsSummary", "c"), Test("AzsInfraRoleSummary", "d")] },
        new StampRole { Name = "Portal", HealthTests = [Test("AzsPortalAPISummary", "e"), Test("AzsInfraRoleSummary", "f")] });

    [Fact]
    public void Default_SelectsEveryCategory_InManifestOrder()
    {
        TestSelection selection = TestSelection.Select(Manifest, null, null, null);

        Assert.Equal(["AzsNetworkInfra", "AzsInfraFileValidation", "AzsStorageSvcsSummary", "AzsInfraRoleSummary", "AzsPortalAPISummary"], selection.Categories);
        Assert.Equal(6, selection.Tests.Count);
        Assert.False(selection.WarningsAreFailures);
    }

    [Fact]
    public void UpdateReadiness_SelectsItsCategories_AndCountsWarningsAsFailures()
    {
        TestSelection selection = TestSelection.Select(Manifest, "updatereadiness", null, null);

        Assert.Equal(["AzsInfraFileValidation"], selection.Categories);
        Assert.True(selection.WarningsAreFailures);
    }

    [Fact]
    public void UpdateReadiness_NamesTheGroupMembersTheStampDoesNotDeclare_UnlessIncludeNamesTheCategories()
    {
        Assert.Equal(["AzsActionPlanStatus", "AzsStampBMCSummary"], TestSelection.Select(Manifest, "UpdateReadiness", null, null).NotDeclared);
        Assert.Empty(TestSelection.Select(Manifest, "UpdateReadiness", ["AzsInfraFileValidation"], null).NotDeclared);
        Assert.Empty(TestSelection.Select(Manifest, "Default", null, null).NotDeclared);
    }

    [Fact]
    public void SecretRotationReadiness_SelectsTheConventionalCategoriesTheStampHas()
    {
        TestSelection selection = TestSelection.Select(Manifest, "SecretRotationReadiness", null, null);

        Assert.Equal(["AzsStorageSvcsSummary", "AzsInfraRoleSummary", "AzsPortalAPISummary"], selection.Categories);
    }

    [Fact]
    public void IncludeAndIgnore_NarrowTheGroup_CaseInsensitively()
    {
        TestSelection selection = TestSelection.Select(Manifest, "Default", ["azsinfrarolesummary", "AzsNetworkInfra"], ["AZSNETWORKINFRA"]);

        Assert.Equal(["AzsInfraRoleSummary"], selection.Categories);
        Assert.Equal(["d", "f"], selection.Tests.Select(t => t.Test.Name));
    }

    [Fact]
    public void UnknownCategory_IsAnErrorListingTheKnownOnes()
    {
        TestSelectionException error = Assert.Throws<TestSelectionException>(() => TestSelection.Select(Manifest, null, null, ["AzsTypo"]));

        Assert.Equal("UnknownTestCategory", error.ErrorId);
        Assert.Equal("AzsTypo", error.Name);
        Assert.Contains("AzsNetworkInfra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownGroup_IsAnError()
    {
        TestSelectionException error = Assert.Throws<TestSelectionException>(() => TestSelection.Select(Manifest, "Nightly", null, null));

        Assert.Equal("UnknownTestGroup", error.ErrorId);
        Assert.Contains("UpdateReadiness", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CategoryStatus_IsTheWorstOfItsTests()
    {
        HealthTestResult Result(HealthStatus status) => new("r", "c", "t", status, "", TimeSpan.Zero);

        Assert.Equal(HealthStatus.Pass, HealthCheckRun.CategoryStatus([Result(HealthStatus.Pass)], false));
        Assert.Equal(HealthStatus.Warn, HealthCheckRun.CategoryStatus([Result(HealthStatus.Pass), Result(HealthStatus.Warn)], false));
        Assert.Equal(HealthStatus.Fail, HealthCheckRun.CategoryStatus([Result(HealthStatus.Warn)], true));
        Assert.Equal(HealthStatus.Fail, HealthCheckRun.CategoryStatus([Result(HealthStatus.Fail), Result(HealthStatus.Warn)], false));
    }
}
