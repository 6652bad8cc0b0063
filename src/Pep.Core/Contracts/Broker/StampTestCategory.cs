namespace Pep.Core.Contracts.Broker;

/// <summary>A selected health category: the roles and tests it runs.</summary>
public sealed record StampTestCategory(string Category, string[] Roles, string[] Tests);
