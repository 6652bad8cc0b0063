using System.Globalization;

namespace Pep.Core.Stamp.Health;

/// <summary>
/// What one Test-AzureStack run selected, what actually ran, and the one answer it may give: true only when at
/// least one test ran, every selected test finished and no category failed. A run that tested nothing never
/// passes (issue 14: update and rotation go/no-go decisions are taken on this answer).
/// </summary>
public sealed class TestRunSummary
{
    private TestRunSummary(TestSelection selection, IReadOnlyList<HealthTestResult> results, int finished,
        IReadOnlyList<(string Category, HealthStatus Status)> categories)
    {
        Selection = selection;
        Results = results;
        Finished = finished;
        Categories = categories;
    }

    public TestSelection Selection { get; }

    /// <summary>One result per selected test, in selection order; a test that did not finish is a failure saying so.</summary>
    public IReadOnlyList<HealthTestResult> Results { get; }

    /// <summary>How many of the selected tests ran to the end.</summary>
    public int Finished { get; }

    /// <summary>Each selected category with its status (the worst of its tests).</summary>
    public IReadOnlyList<(string Category, HealthStatus Status)> Categories { get; }

    public bool NothingRan => Finished == 0;

    public bool Passed => !NothingRan && Finished == Selection.Tests.Count && Categories.All(c => c.Status != HealthStatus.Fail);

    /// <param name="selection">What was selected.</param>
    /// <param name="results">One entry per selected test, in selection order; null for a test that did not finish.</param>
    public static TestRunSummary Of(TestSelection selection, IReadOnlyList<HealthTestResult?> results)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count != selection.Tests.Count)
        {
            throw new ArgumentException("One result per selected test is needed.", nameof(results));
        }

        HealthTestResult[] complete = [.. results.Select((r, i) => r ?? HealthCheckRun.NotFinished(selection.Tests[i].Role, selection.Tests[i].Test))];
        ILookup<string, HealthTestResult> byCategory = complete.ToLookup(r => r.Category, StringComparer.OrdinalIgnoreCase);
        var categories = selection.Categories
            .Select(c => (c, HealthCheckRun.CategoryStatus(byCategory[c], selection.WarningsAreFailures)))
            .ToList();
        return new TestRunSummary(selection, complete, results.Count(r => r is not null), categories);
    }

    /// <summary>The line that says what was selected, before anything runs.</summary>
    public static string DescribeSelection(TestSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return string.Create(CultureInfo.InvariantCulture,
            $"Test-AzureStack: group {selection.Group} selects {Count(selection.Categories.Count, "category", "categories")} of the {selection.DeclaredCategories.Count} this stamp declares, {Count(selection.Tests.Count, "test", "tests")}.");
    }

    /// <summary>Why nothing was tested, when nothing was selected (null otherwise).</summary>
    public static string? WhyNothingSelected(TestSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Tests.Count > 0)
        {
            return null;
        }

        return selection.DeclaredCategories.Count == 0
            ? "Test-AzureStack ran no test: this stamp declares no health tests (no role of stamp.json has healthTests), so it cannot report the stamp healthy."
            : $"Test-AzureStack ran no test: group {selection.Group} with the given -Include and -Ignore selects no category of this stamp (it declares {string.Join(", ", selection.DeclaredCategories)}), so it cannot report the stamp healthy.";
    }

    /// <summary>The closing line: how many tests ran and the verdict.</summary>
    public string Conclusion()
    {
        string ran = string.Create(CultureInfo.InvariantCulture, $"ran {Finished} of {Count(Selection.Tests.Count, "selected test", "selected tests")} in {Count(Categories.Count, "category", "categories")}");
        int unfinished = Selection.Tests.Count - Finished;
        return (NothingRan, unfinished, Passed) switch
        {
            (true, _, _) => $"Test-AzureStack {ran}: nothing was tested, so it cannot report the stamp healthy.",
            (_, > 0, _) => string.Create(CultureInfo.InvariantCulture, $"Test-AzureStack {ran}: {unfinished} did not finish before the timeout and count as failed."),
            (_, _, false) => $"Test-AzureStack {ran}: found failures.",
            _ => $"Test-AzureStack {ran}: no failures.",
        };
    }

    private static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
