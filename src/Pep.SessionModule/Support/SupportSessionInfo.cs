using Pep.Core.Support;

namespace Pep.SessionModule.Support;

/// <summary>What Get-SupportSessionInfo reports. State and reasons are strings so they read the same after remoting.</summary>
public sealed record SupportSessionInfo(
    string State,
    bool RequestPending,
    string? UnlockedBy,
    DateTime? ElevatedSinceUtc,
    DateTime? ElevatedUntilUtc,
    TimeSpan? RemainingTime,
    TimeSpan? GrantedDuration,
    Guid? SupportSessionId,
    DateTime? LastLockBackUtc,
    string? LastLockBackReason,
    string? SupportAuthority)
{
    internal static SupportSessionInfo From(SupportSessionStatus? status, string? authorityKeyId)
    {
        SupportElevation? elevation = status?.Elevation;
        SupportLockBack? lockBack = status?.LastLockBack;
        TimeSpan? remaining = status?.Remaining is { } r ? TimeSpan.FromSeconds(Math.Max(0, Math.Ceiling(r.TotalSeconds))) : null;
        return new SupportSessionInfo(
            (status?.State ?? SupportSessionState.Locked).ToString(),
            status?.RequestPending ?? false,
            elevation?.UnlockedBy,
            elevation?.ElevatedSinceUtc.UtcDateTime,
            elevation?.ElevatedUntilUtc.UtcDateTime,
            remaining,
            elevation?.GrantedDuration,
            elevation?.SupportSessionId,
            lockBack?.LockedUtc.UtcDateTime,
            lockBack?.Reason.ToString(),
            authorityKeyId);
    }
}
