namespace Pep.SessionModule.Logs;

/// <summary>One role's archive from Get-AzureStackLog: where it is, what it holds, and what it misses.</summary>
public sealed record AzureStackLogArchive(string Role, string Archive, int Files, long Bytes, bool Complete, string[] Missing);
