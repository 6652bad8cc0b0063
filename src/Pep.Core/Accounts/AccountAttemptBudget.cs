namespace Pep.Core.Accounts;

/// <summary>
/// The bound on failed logins against one account, whoever makes them (NIST SP 800-63B, 5.2.2: at most 100
/// failed attempts per account): at most <see cref="Capacity"/> failures per <see cref="Window"/>. While the
/// budget is spent, passwords for the account are not checked at all, except from a source that has logged
/// in to it before (<see cref="KnownLoginSources"/>); so guessing stops, and a stranger
/// who spends the budget does not lock out the operators who use the account. Nothing is locked: the answer
/// is the one a wrong password gets.
/// </summary>
public sealed record AccountAttemptBudget(int Capacity, TimeSpan Window)
{
    public static readonly AccountAttemptBudget Default = new(100, TimeSpan.FromDays(30));

    /// <summary>True when no more failures may be tried against the account at <paramref name="nowUtc"/>.</summary>
    public bool IsSpent(FailedAttempts? attempts, DateTimeOffset nowUtc)
        => attempts is not null && InWindow(attempts, nowUtc) && attempts.Count >= Capacity;

    /// <summary>The count after one more failure at <paramref name="nowUtc"/>: a window that has passed starts again.</summary>
    public FailedAttempts AfterFailure(FailedAttempts? attempts, DateTimeOffset nowUtc)
        => attempts is not null && InWindow(attempts, nowUtc)
            ? attempts with { Count = attempts.Count + 1 }
            : new FailedAttempts(1, nowUtc);

    /// <summary>
    /// The clocks of instances differ a little, and an instance may count a failure it saw a moment before
    /// another instance's window began: a window that starts up to this much after "now" is still the current one.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private bool InWindow(FailedAttempts attempts, DateTimeOffset nowUtc)
        => attempts.WindowStartUtc - nowUtc <= ClockSkew && nowUtc - attempts.WindowStartUtc < Window;
}
