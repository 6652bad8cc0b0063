namespace Pep.Core.Contracts.Broker;

/// <summary>Get-ActionStatus: the deployment's tracked actions, newest first, of one cmdlet when <see cref="FunctionName"/> is given (answered with <see cref="ActionStatusReply"/>).</summary>
public sealed record GetActionStatusRequest(string? FunctionName) : BrokerRequest
{
    public override string Describe() => "Get-ActionStatus" + (FunctionName is null ? "" : $" -FunctionName {Loggable(FunctionName)}");

    public override string? Validate() => FunctionName is null ? null : CheckLength(FunctionName, nameof(FunctionName), 1, StampRequestLimits.MaxNameLength);
}
