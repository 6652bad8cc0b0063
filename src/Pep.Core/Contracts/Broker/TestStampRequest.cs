namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Test-AzureStack: the gateway selects the manifest's health tests by group and categories and, unless
/// <see cref="ListOnly"/>, runs them within <see cref="TimeoutSeconds"/> (answered with <see cref="StampTestReply"/>).
/// </summary>
public sealed record TestStampRequest(string Group, string[]? Include, string[]? Ignore, bool ListOnly, int TimeoutSeconds) : BrokerRequest
{
    public const int MaxTimeoutSeconds = 86400;

    public override string Describe()
        => $"Test-AzureStack -Group {Loggable(Group)}"
           + (Include is null ? "" : $" -Include {string.Join(", ", Include.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (Ignore is null ? "" : $" -Ignore {string.Join(", ", Ignore.Take(StampRequestLimits.MaxNames).Select(Loggable))}")
           + (ListOnly ? " -List" : "");

    public override string? Validate()
        => CheckLength(Group, nameof(Group), 1, StampRequestLimits.MaxNameLength)
           ?? StampRequestLimits.CheckNames(Include, "category", allowEmpty: false)
           ?? StampRequestLimits.CheckNames(Ignore, "category", allowEmpty: false)
           ?? (TimeoutSeconds is < 1 or > MaxTimeoutSeconds ? $"{nameof(TimeoutSeconds)} must be 1 to {MaxTimeoutSeconds}." : null);
}
