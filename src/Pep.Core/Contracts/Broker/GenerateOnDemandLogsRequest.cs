namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Invoke-AzureStackOnDemandLog: the gateway runs the on-demand log command the manifest declares for each of
/// <see cref="Roles"/> (default: every role that declares one), within <see cref="TimeoutMinutes"/>, the role named SLB
/// within <see cref="SlbTimeoutMinutes"/> too; with <see cref="OutputPath"/> it then collects what the roles that
/// succeeded wrote since the run began into a folder under it, as Get-AzureStackLog does (answered with <see cref="OnDemandLogsReply"/>).
/// </summary>
public sealed record GenerateOnDemandLogsRequest(string[]? Roles, int TimeoutMinutes, int SlbTimeoutMinutes, string? OutputPath) : BrokerRequest
{
    public const int MaxTimeoutMinutes = 1440;

    /// <summary>The role whose own time limit -SlbTimeOutInMinutes is: the original's software load balancer, by name.</summary>
    public const string SlbRoleName = "SLB";

    public override string Describe()
        => "Invoke-AzureStackOnDemandLog" + (Roles is null ? "" : $" -FilterByRole {string.Join(", ", Roles.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (OutputPath is null ? "" : $" -OutputPath {Loggable(OutputPath)}");

    public override string? Validate()
        => StampRequestLimits.CheckNames(Roles, "role", allowEmpty: false)
           ?? StampRequestLimits.CheckPath(OutputPath, nameof(OutputPath))
           ?? (TimeoutMinutes is < 1 or > MaxTimeoutMinutes ? $"{nameof(TimeoutMinutes)} must be 1 to {MaxTimeoutMinutes}." : null)
           ?? (SlbTimeoutMinutes is < 1 or > MaxTimeoutMinutes ? $"{nameof(SlbTimeoutMinutes)} must be 1 to {MaxTimeoutMinutes}." : null);
}
