using System.Management.Automation.Remoting;
using Pep.Core.Contracts;

namespace Pep.ClientModule.Transport;

/// <summary>
/// A connection failure with the gateway's reason attached. <see cref="Failure"/> carries the gateway's
/// refusal (<see cref="WireProtocol.ErrorHeader"/>) or the client's own (such as <see cref="FailureKind.Unreachable"/>); it decides whether
/// New-PepSession tries the next instance.
/// </summary>
public sealed class PepTransportException : PSRemotingTransportException
{
    public PepTransportException(FailureKind failure, string message, Exception? inner = null)
        : base(message, inner)
        => Failure = failure;

    public PepTransportException()
        : base() => Failure = FailureKind.Unknown;

    public PepTransportException(string message)
        : base(message) => Failure = FailureKind.Unknown;

    public PepTransportException(string message, Exception inner)
        : base(message, inner) => Failure = FailureKind.Unknown;

    public FailureKind Failure { get; }

    /// <summary>A refused credential or a blocked source is final: trying the other instances would only count more failures.</summary>
    public bool IsFinal => Failure is FailureKind.InvalidCredential or FailureKind.SourceBlocked or FailureKind.UntrustedCertificate or FailureKind.BadRequest;
}
