namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Get-AzureStackLog: the gateway collects the log sources the manifest declares for <see cref="Roles"/> (default
/// every role) on <see cref="Nodes"/>, of the window from <see cref="FromUtc"/> to <see cref="ToUtc"/> (default the last
/// four hours), into a folder under an allowed output root (<see cref="OutputPath"/>, canonicalised by the gateway) or
/// onto a share (<see cref="SharePath"/> with the share credential, its password in UTF-8) (answered with <see cref="StampLogsReply"/>).
/// </summary>
public sealed record CollectStampLogsRequest(
    string[]? Roles,
    string[]? Nodes,
    DateTime? FromUtc,
    DateTime? ToUtc,
    string? OutputPath,
    string? SharePath,
    string? ShareUser,
    byte[]? SharePassword,
    int TimeoutMinutes) : BrokerRequest
{
    public const int MaxTimeoutMinutes = 1440;

    public override string Describe()
        => "Get-AzureStackLog"
           + (Roles is null ? "" : $" -FilterByRole {string.Join(", ", Roles.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (Nodes is null ? "" : $" -FilterByNode {string.Join(", ", Nodes.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (OutputPath is null ? "" : $" -OutputPath {Loggable(OutputPath)}")
           + (SharePath is null ? "" : $" -OutputSharePath {Loggable(SharePath)}{(ShareUser is null ? "" : $" as {Loggable(ShareUser)}")}");

    public override string? Validate()
        => StampRequestLimits.CheckNames(Roles, "role", allowEmpty: false)
           ?? StampRequestLimits.CheckNames(Nodes, "node", allowEmpty: false)
           ?? StampRequestLimits.CheckPath(OutputPath, nameof(OutputPath))
           ?? StampRequestLimits.CheckPath(SharePath, nameof(SharePath))
           ?? (OutputPath is not null && SharePath is not null ? "Give an output path or a share, not both." : null)
           ?? (SharePath is not null && (ShareUser is null || SharePassword is null) ? "A share needs its credential." : null)
           ?? (ShareUser is null ? null : CheckLength(ShareUser, nameof(ShareUser), 1, AccountLimits.MaxUserNameLength))
           ?? (SharePassword is { Length: > AccountLimits.MaxPasswordBytes } ? $"{nameof(SharePassword)} must have at most {AccountLimits.MaxPasswordBytes} bytes." : null)
           ?? (TimeoutMinutes is < 1 or > MaxTimeoutMinutes ? $"{nameof(TimeoutMinutes)} must be 1 to {MaxTimeoutMinutes}." : null);

    public override void ClearSecrets()
    {
        if (SharePassword is not null)
        {
            Array.Clear(SharePassword);
        }
    }
}
