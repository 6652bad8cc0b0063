namespace Pep.Core.Stamp.Logs;

/// <summary>One step of a log collection: a file of a role was copied into its archive.</summary>
public sealed record LogProgress(string Role, string File, int Done, int Total);
