namespace Pep.Core.Identities;

/// <summary>An operating-system account: its name, user id and primary group id.</summary>
public sealed record PosixAccount(string Name, int Uid, int Gid);
