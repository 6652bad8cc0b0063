using System.Globalization;
using System.Management.Automation;
using Pep.Core.Stamp.Health;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>
/// Test-AzureStack: runs the stamp's health tests by category, prints PASS, WARN or FAIL per category and
/// returns $true only when tests ran, all of them finished and nothing failed (a selection with no test is
/// $false and a NoHealthTestsRan error). -List shows the categories; -DetailedResults returns one object per
/// test instead of the boolean.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AzureStack", DefaultParameterSetName = RunSet)]
[OutputType(typeof(bool), ParameterSetName = [RunSet])]
[OutputType(typeof(AzureStackTestResult), ParameterSetName = [RunSet])]
[OutputType(typeof(AzureStackTestCategory), ParameterSetName = [ListSet])]
public sealed class TestAzureStackCommand : StampCmdlet
{
    private const string RunSet = "Run";
    private const string ListSet = "List";
    private const int ProgressId = 1;

    /// <summary>Default (every category), UpdateReadiness or SecretRotationReadiness, or a group the manifest defines.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string Group { get; set; } = TestSelection.DefaultGroup;

    [Parameter]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 64)]
    public string[]? Include { get; set; }

    [Parameter]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 64)]
    public string[]? Ignore { get; set; }

    [Parameter(ParameterSetName = ListSet, Mandatory = true)]
    public SwitchParameter List { get; set; }

    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter DetailedResults { get; set; }

    [Parameter(ParameterSetName = RunSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSeconds { get; set; } = 1800;

    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        TestSelection selection;
        try
        {
            selection = TestSelection.Select(manifest, Group, Include, Ignore);
        }
        catch (TestSelectionException e)
        {
            Fail(e.ErrorId, ErrorCategory.InvalidArgument, e.Name, e.Message, e);
            return;
        }

        if (List)
        {
            // One pass over the tests, not one per category: -List stays linear in the size of the stamp.
            ILookup<string, (StampRole Role, HealthTest Test)> byCategory = selection.Tests.ToLookup(p => p.Test.Category, StringComparer.OrdinalIgnoreCase);
            foreach (string category in selection.Categories)
            {
                var tests = byCategory[category].ToList();
                WriteObject(new AzureStackTestCategory(category, [.. tests.Select(p => p.Role.Name).Distinct()], [.. tests.Select(p => p.Test.Name)]));
            }

            return;
        }

        Run(selection);
    }

    private void Run(TestSelection selection)
    {
        const string activity = "Test-AzureStack";
        WriteHostLine(TestRunSummary.DescribeSelection(selection));
        if (selection.NotDeclared.Count > 0)
        {
            Warn($"Group {selection.Group} also names {string.Join(", ", selection.NotDeclared)}, which this stamp does not declare: not tested.");
        }

        if (TestRunSummary.WhyNothingSelected(selection) is { } nothing)
        {
            // Not a terminating error: the answer is still $false, for scripts that test it rather than catch.
            ReportError(new ErrorRecord(new InvalidOperationException(nothing), "NoHealthTestsRan", ErrorCategory.ObjectNotFound, selection.Group));
            if (!DetailedResults)
            {
                WriteObject(false);
            }

            return;
        }

        using var probe = new HealthProbe(TimeProvider.System);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        overall.CancelAfter(TimeSpan.FromSeconds(TimeoutSeconds));
        IReadOnlyList<Task<HealthTestResult>> running = HealthCheckRun.Start(selection, probe, overall.Token);
        try
        {
            WaitOnPipeline(Task.WhenAll(running).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default), () =>
            {
                int done = running.Count(t => t.IsCompleted);
                int percent = running.Count == 0 ? 100 : done * 100 / running.Count;
                Progress(new ProgressRecord(ProgressId, activity, string.Create(CultureInfo.InvariantCulture, $"{done} of {running.Count} tests done")) { PercentComplete = percent });
            });
        }
        finally
        {
            CompleteProgress(ProgressId, activity);
        }

        Cancellation.ThrowIfCancellationRequested();
        var summary = TestRunSummary.Of(selection, [.. running.Select(t => t.Status == TaskStatus.RanToCompletion ? t.Result : null)]);
        foreach ((string category, HealthStatus status) in summary.Categories)
        {
            WriteHostLine($"{category,-40} {status.ToString().ToUpperInvariant()}");
            foreach (HealthTestResult result in summary.Results.Where(r => string.Equals(r.Category, category, StringComparison.OrdinalIgnoreCase) && (DetailedResults || r.Status != HealthStatus.Pass)))
            {
                WriteHostLine($"    {result.Status.ToString().ToUpperInvariant(),-4} {result.Role}: {result.Name}: {result.Detail}");
            }
        }

        WriteHostLine(summary.Conclusion());
        if (DetailedResults)
        {
            foreach (HealthTestResult result in summary.Results)
            {
                WriteObject(AzureStackTestResult.From(result));
            }
        }
        else
        {
            WriteObject(summary.Passed);
        }
    }
}
