using Pep.Core.Accounts;

namespace Pep.Core.Tests.Accounts;

public sealed class AccountAttemptBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly AccountAttemptBudget Budget = AccountAttemptBudget.Default;

    [Fact]
    public void Default_IsNistsHundredFailuresPerThirtyDays()
        => Assert.Equal((100, TimeSpan.FromDays(30)), (Budget.Capacity, Budget.Window));

    [Fact]
    public void Budget_IsSpentAtItsCapacity_AndNotBefore()
    {
        FailedAttempts? attempts = null;
        for (int i = 0; i < Budget.Capacity - 1; i++)
        {
            attempts = Budget.AfterFailure(attempts, Start.AddHours(i));
        }

        Assert.False(Budget.IsSpent(attempts, Start.AddDays(5)));
        attempts = Budget.AfterFailure(attempts, Start.AddDays(5));
        Assert.True(Budget.IsSpent(attempts, Start.AddDays(5)));
    }

    [Fact]
    public void Window_CountsFromItsFirstFailure_AndAPassedWindowStartsAfresh()
    {
        FailedAttempts attempts = new(Budget.Capacity, Start);

        Assert.True(Budget.IsSpent(attempts, Start + Budget.Window - TimeSpan.FromSeconds(1)));
        Assert.False(Budget.IsSpent(attempts, Start + Budget.Window));
        Assert.Equal(new FailedAttempts(1, Start + Budget.Window), Budget.AfterFailure(attempts, Start + Budget.Window));
    }

    [Fact]
    public void AWindowStartingFarInTheFuture_ClockSetBack_DoesNotHoldTheBudgetSpent()
        => Assert.False(Budget.IsSpent(new FailedAttempts(Budget.Capacity, Start.AddDays(1)), Start));

    [Fact]
    public void AWindowStartedAMomentAheadByAnotherInstance_KeepsCounting()
    {
        // Another instance began the window a second after this one read its clock: the count must go on.
        FailedAttempts next = Budget.AfterFailure(new FailedAttempts(7, Start.AddSeconds(1)), Start);

        Assert.Equal(new FailedAttempts(8, Start.AddSeconds(1)), next);
    }

    [Fact]
    public void NoFailures_IsNotSpent()
        => Assert.False(Budget.IsSpent(null, Start));
}
