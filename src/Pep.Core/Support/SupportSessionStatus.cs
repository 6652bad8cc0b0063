
namespace Pep.Core.Support;

/// <summary>A snapshot of a session's support state, as Get-SupportSessionInfo reports it.</summary>
public sealed record SupportSessionStatus(
    SupportSessionState State,
    bool RequestPending,
    SupportElevation? Elevation,
    TimeSpan? Remaining,
    SupportLockBack? LastLockBack);
