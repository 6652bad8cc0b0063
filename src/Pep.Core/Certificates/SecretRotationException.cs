namespace Pep.Core.Certificates;

/// <summary>A rotation step failed (or the rotation cannot start); the state file records it for -ReRun.</summary>
public sealed class SecretRotationException(string errorId, string? step, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A stable id for the error record: the cause's own (e.g. ShareUnreachable, CertificatePasswordIncorrect) or the step's.</summary>
    public string ErrorId { get; } = errorId;

    public string? Step { get; } = step;
}
