namespace Pep.SessionModule.StampLifecycle;

/// <summary>A health category as Test-AzureStack -List shows it: which roles and tests it runs.</summary>
public sealed record AzureStackTestCategory(string Category, string[] Roles, string[] Tests);
