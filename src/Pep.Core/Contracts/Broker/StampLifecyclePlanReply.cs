namespace Pep.Core.Contracts.Broker;

/// <summary>The stamp's name and its roles in the order a Stop-AzureStack or Start-AzureStack takes them.</summary>
public sealed record StampLifecyclePlanReply(string Stamp, string[] Roles) : BrokerReply;
