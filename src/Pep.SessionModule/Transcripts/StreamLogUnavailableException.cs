namespace Pep.SessionModule.Transcripts;

/// <summary>The session's endpoint stream log could not be written; what it was to record must not go on unrecorded.</summary>
internal sealed class StreamLogUnavailableException(string message, Exception inner) : IOException(message, inner);
