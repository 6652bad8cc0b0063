using System.Globalization;
using Pep.Core.Stamp.Health;

namespace Pep.SessionModule.StampLifecycle;

/// <summary>One health test's outcome as Test-AzureStack -DetailedResults returns it.</summary>
public sealed record AzureStackTestResult(string Category, string Role, string Test, string Result, string Detail, double Seconds)
{
    public static AzureStackTestResult From(HealthTestResult result)
        => new(result.Category, result.Role, result.Name, result.Status.ToString().ToUpperInvariant(), result.Detail,
            Math.Round(result.Duration.TotalSeconds, 3));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Category} {Role} {Test}: {Result}");
}
