namespace Pep.Core.Stamp.Health;

/// <summary>The outcome of one health test; Detail says what was observed (never a secret: tests have none).</summary>
public sealed record HealthTestResult(string Role, string Category, string Name, HealthStatus Status, string Detail, TimeSpan Duration);
