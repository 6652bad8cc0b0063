using System.Management.Automation.Remoting;

namespace Pep.ClientModule.Transport;

/// <summary>
/// A connection failure with the gateway's reason attached. <see cref="Failure"/> carries the gateway's
/// <c>X-Pep-Error</c> name (or a client-side name such as <c>Unreachable</c>); it decides whether
/// New-PepSession tries the next instance.
/// </summary>
public sealed class PepTransportException : PSRemotingTransportException
{
    public PepTransportException(string failure, string message, Exception? inner = null)
        : base(message, inner)
        => Failure = failure;

    public PepTransportException()
        : base() => Failure = "Unknown";

    public PepTransportException(string message)
        : base(message) => Failure = "Unknown";

    public PepTransportException(string message, Exception inner)
        : base(message, inner) => Failure = "Unknown";

    public string Failure { get; }

    /// <summary>A refused or locked credential is final: trying the other instances would only count more failures.</summary>
    public bool IsFinal => Failure is "InvalidCredential" or "AccountLocked" or "UntrustedCertificate" or "BadRequest";
}
