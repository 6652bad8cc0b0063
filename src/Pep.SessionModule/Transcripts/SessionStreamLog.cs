using Pep.Core.Contracts;
using Pep.Core.Transcripts;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Transcripts;

/// <summary>This session's endpoint stream log (see <see cref="EndpointStreamLog"/>), for any command of the session.</summary>
internal static class SessionStreamLog
{
    /// <summary>Appends one record (see <see cref="EndpointStreamLog.Append"/>).</summary>
    /// <exception cref="StreamLogUnavailableException">
    /// The record could not be written (the gateway's log has the host's diagnostic): a record that cannot be written
    /// stops what it records, so the caller refuses the action or ends the session rather than drop it.
    /// </exception>
    public static void Append(string stream, string command, string message, bool syncToDisk = true)
    {
        try
        {
            EndpointSession session = EndpointSession.Current;
            var store = new TranscriptStore(session.Layout, session.Identity.Instance, TimeProvider.System);
            new EndpointStreamLog(store.LiveFolder(session.Identity.SessionId), TimeProvider.System).Append(stream, command, message, syncToDisk);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EndpointSession session = EndpointSession.Current;
            HostSignalWriter.Send(HostSignals.Problem(session.Identity.SessionId, HostProblem.StreamLogNotWritten, $"endpoint-streams.log not written ({command}, {stream}): {e.Message}"));
            throw new StreamLogUnavailableException($"The session's record (endpoint-streams.log) could not be written ({e.Message}), so {command} is refused: nothing runs unrecorded.", e);
        }
    }
}
