namespace Pep.Core.Stamp.Health;

/// <summary>Ordered by severity: the worst status of a category's tests is the category's status.</summary>
public enum HealthStatus
{
    Pass = 0,
    Warn = 1,
    Fail = 2,
}
