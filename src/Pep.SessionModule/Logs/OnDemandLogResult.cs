namespace Pep.SessionModule.Logs;

/// <summary>One role's on-demand log generation from Invoke-AzureStackOnDemandLog.</summary>
public sealed record OnDemandLogResult(string Role, bool Succeeded, string Detail);
