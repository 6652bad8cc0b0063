namespace Pep.Core.Transcripts;

/// <summary>Where a live transcript folder's session stands, as a Close of another session sees it.</summary>
public enum LiveSessionState
{
    /// <summary>The session runs (or its host is still starting): a later Close takes its transcript.</summary>
    Open,

    /// <summary>The session has ended and the gateway is about to seal it: a Close waits for that.</summary>
    Ended,
}
