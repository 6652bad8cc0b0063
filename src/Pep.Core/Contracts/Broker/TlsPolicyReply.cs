namespace Pep.Core.Contracts.Broker;

/// <summary>The shared TLS policy and the protocol versions it lets the endpoint's HTTPS listeners accept.</summary>
public sealed record TlsPolicyReply(string Version, string[] Protocols) : BrokerReply;
