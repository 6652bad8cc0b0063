namespace Pep.Core.Contracts.Broker;

/// <summary>
/// The error categories a broker failure may carry: each name is one of PowerShell's <c>ErrorCategory</c> names
/// (a unit test holds it), so the cmdlet reports the gateway's failure with the category it would have used itself.
/// </summary>
public enum BrokerErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ResourceBusy,
    PermissionDenied,
    AuthenticationError,
    ReadError,
    WriteError,
    ConnectionError,
    OperationStopped,
    NotImplemented,
    NotEnabled,
    SecurityError,
    OperationTimeout,
}
