namespace Pep.Core.Contracts.Broker;

/// <summary>
/// What Test-AzureStack selected and, when it ran, found: <see cref="Selection"/> says what was selected, <see cref="NotDeclared"/>
/// the group's categories the stamp lacks, <see cref="NothingSelected"/> why no test ran (null when tests ran),
/// <see cref="Listed"/> the categories with their roles and tests, <see cref="Categories"/> and <see cref="Results"/>
/// the outcome, <see cref="Conclusion"/> the closing line and <see cref="Passed"/> the answer.
/// </summary>
public sealed record StampTestReply(
    string Group,
    string Selection,
    string[] NotDeclared,
    string? NothingSelected,
    StampTestCategory[] Listed,
    StampCategoryStatus[] Categories,
    StampTestOutcome[] Results,
    string Conclusion,
    bool Passed) : BrokerReply;
