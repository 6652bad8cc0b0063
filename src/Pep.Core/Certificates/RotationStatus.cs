namespace Pep.Core.Certificates;

public enum RotationStatus
{
    InProgress,
    Failed,
    Completed,
}
