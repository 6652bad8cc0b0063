using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Stop-AzureStack or Start-AzureStack, before it runs: the stamp's roles in the order the action takes them, so the
/// cmdlet can confirm each (ShouldProcess) without reading the manifest itself (answered with <see cref="StampLifecyclePlanReply"/>).
/// </summary>
public sealed record PlanStampLifecycleRequest(RoleAction Action) : BrokerRequest
{
    public override string Describe() => $"{Action}-AzureStack (plan)";
}
