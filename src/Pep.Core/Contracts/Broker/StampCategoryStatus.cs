using Pep.Core.Stamp.Health;

namespace Pep.Core.Contracts.Broker;

/// <summary>A health category's outcome: the worst of its tests.</summary>
public sealed record StampCategoryStatus(string Category, HealthStatus Status);
