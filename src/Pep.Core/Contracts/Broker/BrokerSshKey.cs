namespace Pep.Core.Contracts.Broker;

/// <summary>An account's SSH public key as the cmdlets show it: whose, its fingerprint, type and comment (not the key itself).</summary>
public sealed record BrokerSshKey(string UserName, string Fingerprint, string Algorithm, string Comment);
