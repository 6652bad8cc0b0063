namespace Pep.Core.Contracts.Broker;

/// <summary>
/// A broker frame that cannot be taken: too large, cut off, not JSON, not a known message, or not valid. The
/// message says which, never what the frame held (it may carry a secret).
/// </summary>
public sealed class BrokerProtocolException : Exception
{
    public BrokerProtocolException(string message)
        : base(message)
    {
    }

    public BrokerProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BrokerProtocolException()
    {
    }
}
