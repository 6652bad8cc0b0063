namespace Pep.Core.Support;

/// <summary>Why an elevated session locked back.</summary>
public enum SupportLockReason
{
    /// <summary>The granted time (or the stamp's maximum) ran out on the endpoint's monotonic clock.</summary>
    TimeRanOut,

    /// <summary>The session was closed (Close-PrivilegedEndpoint, or the host ending).</summary>
    SessionEnded,
}
