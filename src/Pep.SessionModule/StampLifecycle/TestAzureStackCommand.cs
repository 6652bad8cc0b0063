using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Health;
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
        const string activity = "Test-AzureStack";
        StampTestReply reply;
        try
        {
            reply = Ask<StampTestReply>(new TestStampRequest(Group, Include, Ignore, List, TimeoutSeconds), activity, ProgressId);
        }
        finally
        {
            if (!List)
            {
                CompleteProgress(ProgressId, activity);
            }
        }

        if (List)
        {
            foreach (StampTestCategory category in reply.Listed)
            {
                WriteObject(new AzureStackTestCategory(category.Category, category.Roles, category.Tests));
            }

            return;
        }

        Report(reply);
    }

    private void Report(StampTestReply reply)
    {
        WriteHostLine(reply.Selection);
        if (reply.NotDeclared.Length > 0)
        {
            Warn($"Group {reply.Group} also names {string.Join(", ", reply.NotDeclared)}, which this stamp does not declare: not tested.");
        }

        if (reply.NothingSelected is { } nothing)
        {
            // Not a terminating error: the answer is still $false, for scripts that test it rather than catch.
            ReportError(new ErrorRecord(new InvalidOperationException(nothing), "NoHealthTestsRan", ErrorCategory.ObjectNotFound, reply.Group));
            if (!DetailedResults)
            {
                WriteObject(false);
            }

            return;
        }

        foreach (StampCategoryStatus category in reply.Categories)
        {
            WriteHostLine($"{category.Category,-40} {category.Status.ToString().ToUpperInvariant()}");
            foreach (StampTestOutcome result in reply.Results.Where(r => string.Equals(r.Category, category.Category, StringComparison.OrdinalIgnoreCase) && (DetailedResults || r.Status != HealthStatus.Pass)))
            {
                WriteHostLine($"    {result.Status.ToString().ToUpperInvariant(),-4} {result.Role}: {result.Test}: {result.Detail}");
            }
        }

        WriteHostLine(reply.Conclusion);
        if (DetailedResults)
        {
            foreach (StampTestOutcome result in reply.Results)
            {
                WriteObject(AzureStackTestResult.From(result));
            }
        }
        else
        {
            WriteObject(reply.Passed);
        }
    }
}
