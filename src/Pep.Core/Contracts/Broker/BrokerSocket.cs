namespace Pep.Core.Contracts.Broker;

/// <summary>How a session host finds its broker socket: the gateway names it in the host's environment at spawn.</summary>
public static class BrokerSocket
{
    /// <summary>The path of the session's broker socket; a host must not inherit it from its parent.</summary>
    public const string Variable = "PEP_BROKER_SOCKET";
}
