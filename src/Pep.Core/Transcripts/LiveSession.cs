namespace Pep.Core.Transcripts;

/// <summary>A session of the instance whose transcript is not sealed yet, as a Close of another session sees it.</summary>
public sealed record LiveSession(SessionHeader Header, LiveSessionState State)
{
    public Guid SessionId => Header.SessionId;
}
