using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Stop-AzureStack or Start-AzureStack: the gateway runs the stop or start command (then the status command) the
/// manifest declares for each of <see cref="Roles"/> (those the operator confirmed; each must be a role of the
/// manifest), in the manifest's order, within <see cref="TimeoutInSecs"/> (answered with <see cref="StampLifecycleReply"/>).
/// </summary>
public sealed record RunStampLifecycleRequest(RoleAction Action, string[] Roles, int TimeoutInSecs) : BrokerRequest
{
    public const int MaxTimeoutInSecs = 86400;

    public override string Describe()
        => $"{Action}-AzureStack {string.Join(", ", Roles.Take(StampRequestLimits.MaxNames).Select(Loggable))} within {TimeoutInSecs} s";

    public override string? Validate()
        => TimeoutInSecs is < 1 or > MaxTimeoutInSecs
            ? $"{nameof(TimeoutInSecs)} must be 1 to {MaxTimeoutInSecs}."
            : StampRequestLimits.CheckNames(Roles, "role", allowEmpty: false);
}
