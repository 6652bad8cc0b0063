namespace Pep.Core.Contracts.Broker;

/// <summary>One role's (or node's) archive: where it is, what it holds, and what it misses.</summary>
public sealed record StampLogArchive(string Role, string Archive, int Files, long Bytes, bool Complete, string[] Missing);
