namespace Pep.SessionModule.Broker;

/// <summary>The session's broker could not be reached, or broke off before it answered.</summary>
public sealed class BrokerUnavailableException : Exception
{
    public BrokerUnavailableException(string message)
        : base(message)
    {
    }

    public BrokerUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BrokerUnavailableException()
    {
    }
}
