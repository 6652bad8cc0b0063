namespace Pep.Core.Contracts;

/// <summary>
/// What a seal left in a live transcript folder (its marker file), written by the session host (a Close) and by
/// the gateway (a session's end), read by both.
/// </summary>
public enum LiveFolderState
{
    /// <summary>No seal yet: the session is running, or its gateway was killed before it ended.</summary>
    Unsealed,
    /// <summary>A Close has sealed the session up to now and is delivering; if its host dies now, the whole transcript is sealed again.</summary>
    Closing,
    /// <summary>The Close delivered everything: the session's end is its Close, and the folder only needs removing.</summary>
    Closed,
    /// <summary>The session was sealed at its end; the folder is about to go.</summary>
    Ended,
}
