namespace Pep.Core.Transcripts;

/// <summary>
/// What a Close sealed of its own session: its ledger entry, and the SHA-256 of the sealed file's body (everything but
/// the header). Kept in the session's seal marker, so that the session's end can tell whether anything was written
/// after the seal, and seal it as a further entry (<see cref="TranscriptStore.SealAfterClose"/>).
/// </summary>
public sealed record CloseSeal(long Entry, string BodySha256);
