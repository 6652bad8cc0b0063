namespace Pep.Core.Accounts;

/// <summary>Failed logins counted for one account, and the lock they earned.</summary>
public sealed record LoginState(int ConsecutiveFailures, DateTimeOffset? LockedUntilUtc)
{
    public static readonly LoginState Clean = new(0, null);
}
