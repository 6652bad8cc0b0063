namespace Pep.Core.Accounts;

/// <summary>
/// How repeated failed logins slow down and then lock one account. Counted per account, never per client
/// address, so rotating addresses or instances gains an attacker nothing; the lock touches only the
/// account that was attacked, and the slow-down is an asynchronous wait that holds no thread.
/// </summary>
public sealed record LockoutPolicy(int FailuresBeforeSlowdown, TimeSpan SlowdownStep, int FailuresBeforeLock, TimeSpan LockDuration)
{
    public static readonly LockoutPolicy Default = new(2, TimeSpan.FromSeconds(1), 5, TimeSpan.FromMinutes(15));

    /// <summary>The wait before answering the next attempt after <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures <= FailuresBeforeSlowdown)
        {
            return TimeSpan.Zero;
        }

        int steps = Math.Min(failures - FailuresBeforeSlowdown, 8);
        return SlowdownStep * steps;
    }

    /// <summary>The lock earned by reaching <paramref name="failures"/> consecutive failures, if any.</summary>
    public DateTimeOffset? LockAfter(int failures, DateTimeOffset nowUtc)
        => failures >= FailuresBeforeLock ? nowUtc + LockDuration : null;
}
