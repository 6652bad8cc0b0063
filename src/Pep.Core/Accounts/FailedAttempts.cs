namespace Pep.Core.Accounts;

/// <summary>Failed logins counted against one account in the current window of its <see cref="AccountAttemptBudget"/>.</summary>
public sealed record FailedAttempts(int Count, DateTimeOffset WindowStartUtc);
