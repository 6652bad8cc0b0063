using System.Globalization;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Health;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>
/// Test-AzureStack, done by the gateway: the manifest's health tests, selected by the group and categories the session
/// names (unknown names are refused by the selection), run in parallel within the request's time; progress while
/// they run.
/// </summary>
internal sealed class StampHealthRequests(StateLayout layout, TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    public BrokerReply Test(TestStampRequest request, BrokerCall call)
    {
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        TestSelection selection;
        try
        {
            selection = TestSelection.Select(manifest, request.Group, request.Include, request.Ignore);
        }
        catch (TestSelectionException e)
        {
            return new BrokerFailure(e.ErrorId, BrokerErrorCategory.InvalidArgument, e.Message, e.Name);
        }

        // One pass over the tests, not one per category: the listing stays linear in the size of the stamp.
        ILookup<string, (StampRole Role, HealthTest Test)> byCategory = selection.Tests.ToLookup(p => p.Test.Category, StringComparer.OrdinalIgnoreCase);
        StampTestCategory[] listed = [.. selection.Categories.Select(category =>
        {
            var tests = byCategory[category].ToList();
            return new StampTestCategory(category, [.. tests.Select(p => p.Role.Name).Distinct()], [.. tests.Select(p => p.Test.Name)]);
        })];
        string described = TestRunSummary.DescribeSelection(selection);
        string? nothing = TestRunSummary.WhyNothingSelected(selection);
        if (request.ListOnly || nothing is not null)
        {
            return new StampTestReply(selection.Group, described, [.. selection.NotDeclared], nothing, listed, [], [], string.Empty, Passed: false);
        }

        using var probe = new HealthProbe(time);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
        overall.CancelAfter(TimeSpan.FromSeconds(request.TimeoutSeconds));
        IReadOnlyList<Task<HealthTestResult>> running = HealthCheckRun.Start(selection, probe, overall.Token);
        Task all = Task.WhenAll(running);
        while (!((IAsyncResult)all).AsyncWaitHandle.WaitOne(ProgressInterval))
        {
            int done = running.Count(t => t.IsCompleted);
            call.Report(new BrokerProgress(string.Create(CultureInfo.InvariantCulture, $"{done} of {running.Count} tests done"), done * 100 / running.Count, -1));
        }

        call.Cancellation.ThrowIfCancellationRequested();
        var summary = TestRunSummary.Of(selection, [.. running.Select(t => t.Status == TaskStatus.RanToCompletion ? t.Result : null)]);
        return new StampTestReply(
            selection.Group,
            described,
            [.. selection.NotDeclared],
            null,
            listed,
            [.. summary.Categories.Select(c => new StampCategoryStatus(c.Category, c.Status))],
            [.. summary.Results.Select(r => new StampTestOutcome(r.Category, r.Role, r.Name, r.Status, r.Detail, Math.Round(r.Duration.TotalSeconds, 3)))],
            summary.Conclusion(),
            summary.Passed);
    }
}
