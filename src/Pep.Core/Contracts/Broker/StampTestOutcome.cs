using Pep.Core.Stamp.Health;

namespace Pep.Core.Contracts.Broker;

/// <summary>One health test's outcome, as the gateway observed it.</summary>
public sealed record StampTestOutcome(string Category, string Role, string Test, HealthStatus Status, string Detail, double Seconds);
