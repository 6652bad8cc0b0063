namespace Pep.Core.Shares;

/// <summary>Why a destination refused or failed; the message says it for the operator and never holds a secret.</summary>
public enum DestinationFailure
{
    /// <summary>The path is not a share path nor under an allowed root.</summary>
    NotAllowed,
    /// <summary>The share refused the credential.</summary>
    AccessDenied,
    /// <summary>The host or share cannot be reached, or went away.</summary>
    Unreachable,
    /// <summary>An operation failed on a reachable destination (no space, no permission, …).</summary>
    WriteFailed,
    /// <summary>A copy read back differs from what was sent.</summary>
    VerificationFailed,
}

public sealed class DestinationException : Exception
{
    public DestinationException(DestinationFailure failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

    public DestinationFailure Failure { get; }
}
