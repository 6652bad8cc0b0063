namespace Pep.Core.Support;

/// <summary>An elevation in force: who unlocked it, when, and for how long (measured on the monotonic clock from <see cref="StartTimestamp"/>).</summary>
public sealed record SupportElevation(
    Guid SupportSessionId,
    string UnlockedBy,
    DateTimeOffset ElevatedSinceUtc,
    long StartTimestamp,
    TimeSpan Duration,
    TimeSpan GrantedDuration,
    string RequestHash)
{
    /// <summary>For people: the wall-clock time the elevation ends (the monotonic clock decides).</summary>
    public DateTimeOffset ElevatedUntilUtc => ElevatedSinceUtc + Duration;
}
