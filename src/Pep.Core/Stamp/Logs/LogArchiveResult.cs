namespace Pep.Core.Stamp.Logs;

/// <summary>What one role's archive holds, and what it misses when the collection ran out of time or could not read a file.</summary>
public sealed record LogArchiveResult(string Role, string Archive, int Files, long Bytes, IReadOnlyList<string> Missing, bool Complete);
