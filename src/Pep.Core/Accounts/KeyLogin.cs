namespace Pep.Core.Accounts;

/// <summary>What a key login may use: the account's keys when <see cref="Outcome"/> is <see cref="LoginOutcome.Success"/>, none otherwise.</summary>
public sealed record KeyLogin(LoginOutcome Outcome, string? User, IReadOnlyList<SshPublicKey> Keys);
