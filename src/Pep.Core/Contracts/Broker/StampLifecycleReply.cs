namespace Pep.Core.Contracts.Broker;

/// <summary>What Stop-AzureStack or Start-AzureStack did, role by role in the order it took them.</summary>
public sealed record StampLifecycleReply(StampRoleOutcome[] Roles) : BrokerReply;
