namespace Pep.Core.Storage;

/// <summary>
/// Read, decide, commit-if-unchanged, and start again when another instance came first. Bounded, so that a
/// pathological storm of writers ends in a clear error instead of a hang.
/// </summary>
internal static class OptimisticRetry
{
    public const int MaxAttempts = 64;

    /// <summary>Runs <paramref name="attempt"/> until it returns a result (not null).</summary>
    public static T Run<T>(string what, Func<T?> attempt) where T : struct
    {
        for (int i = 0; i < MaxAttempts; i++)
        {
            if (attempt() is { } result)
            {
                return result;
            }

            if (i > 4)
            {
                // A short random pause so that two instances stuck on the same key stop colliding.
                Thread.Sleep(System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, i));
            }
        }

        throw new StoreUnavailableException($"The shared store kept changing under {what} ({MaxAttempts} attempts); try again.");
    }
}
