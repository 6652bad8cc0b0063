namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The break-the-glass classes run one after the other: each holds sessions open for tens of seconds
/// (lock-back, expiry), and on a shared 2-core machine two of them at once made sessions miss their open timeout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SupportSequence
{
    public const string Name = "Support sessions";
}
