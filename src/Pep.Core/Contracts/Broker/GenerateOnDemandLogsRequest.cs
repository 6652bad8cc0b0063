namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Invoke-AzureStackOnDemandLog: the gateway runs the on-demand log command the manifest declares for each of
/// <see cref="Roles"/> (default: every role that declares one), within <see cref="TimeoutMinutes"/> (answered with
/// <see cref="OnDemandLogsReply"/>).
/// </summary>
public sealed record GenerateOnDemandLogsRequest(string[]? Roles, int TimeoutMinutes) : BrokerRequest
{
    public const int MaxTimeoutMinutes = 1440;

    public override string Describe()
        => "Invoke-AzureStackOnDemandLog" + (Roles is null ? "" : $" -FilterByRole {string.Join(", ", Roles.Take(StampRequestLimits.MaxNames).Select(Loggable))}");

    public override string? Validate()
        => StampRequestLimits.CheckNames(Roles, "role", allowEmpty: false)
           ?? (TimeoutMinutes is < 1 or > MaxTimeoutMinutes ? $"{nameof(TimeoutMinutes)} must be 1 to {MaxTimeoutMinutes}." : null);
}
