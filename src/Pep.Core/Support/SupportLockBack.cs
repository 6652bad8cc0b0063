namespace Pep.Core.Support;

/// <summary>The end of an elevation.</summary>
public sealed record SupportLockBack(SupportElevation Elevation, DateTimeOffset LockedUtc, SupportLockReason Reason);
