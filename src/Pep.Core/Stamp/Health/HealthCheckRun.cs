using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Health;

/// <summary>
/// Runs a selection's tests in parallel, each within its own timeout and all within the overall one.
/// Results arrive as tasks, so the caller's thread (PowerShell's pipeline
/// thread) is the only one that reports them.
/// </summary>
public static class HealthCheckRun
{
    public static IReadOnlyList<Task<HealthTestResult>> Start(TestSelection selection, HealthProbe probe, CancellationToken cancellationToken)
        => [.. selection.Tests.Select(p => probe.RunAsync(p.Role.Name, p.Test, cancellationToken))];

    /// <summary>The category's status: the worst of its tests; UpdateReadiness counts warnings as failures.</summary>
    public static HealthStatus CategoryStatus(IEnumerable<HealthTestResult> results, bool warningsAreFailures)
    {
        HealthStatus worst = results.Select(r => r.Status).DefaultIfEmpty(HealthStatus.Pass).Max();
        return warningsAreFailures && worst == HealthStatus.Warn ? HealthStatus.Fail : worst;
    }

    /// <summary>A test that did not report before the overall deadline counts as failed, with that said.</summary>
    public static HealthTestResult NotFinished(StampRole role, HealthTest test)
        => new(role.Name, test.Category, test.Name, HealthStatus.Fail, "did not finish before Test-AzureStack's timeout", TimeSpan.Zero);
}
