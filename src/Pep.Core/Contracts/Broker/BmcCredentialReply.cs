namespace Pep.Core.Contracts.Broker;

/// <summary>Set-BmcCredential's outcome: the nodes whose credential was changed, in the manifest's order.</summary>
public sealed record BmcCredentialReply(string BmcUser, string[] Nodes, bool BypassedBmcUpdate) : BrokerReply;
