using System.Globalization;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>One health test's outcome as Test-AzureStack -DetailedResults returns it.</summary>
public sealed record AzureStackTestResult(string Category, string Role, string Test, string Result, string Detail, double Seconds)
{
    public static AzureStackTestResult From(StampTestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Category, outcome.Role, outcome.Test, outcome.Status.ToString().ToUpperInvariant(), outcome.Detail, outcome.Seconds);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Category} {Role} {Test}: {Result}");
}
