namespace Pep.Core.Contracts.Broker;

/// <summary>SSH public keys, ordered by account and then as the account lists them.</summary>
public sealed record SshKeyListReply(BrokerSshKey[] Keys) : BrokerReply;
