namespace Pep.EndToEnd.Tests.Hosts;

/// <summary>The three-host classes run one after the other: each brings up three hosts, and they compete for the same cores.</summary>
[CollectionDefinition(Name)]
public sealed class ThreeHosts
{
    public const string Name = "three hosts";
}
