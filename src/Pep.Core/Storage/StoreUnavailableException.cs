namespace Pep.Core.Storage;

/// <summary>
/// The shared store (etcd, or the embedded database) could not be reached or did not answer in time. Callers
/// fail closed: no login is accepted while accounts and failed-login counts cannot be checked. The message names the
/// store and the kind of failure, never a credential.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message) : base(message) { }

    public StoreUnavailableException(string message, Exception inner) : base(message, inner) { }
}
