using Pep.Core.Transcripts;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Transcripts;

/// <summary>This session's endpoint stream log (see <see cref="EndpointStreamLog"/>), for any command of the session.</summary>
internal static class SessionStreamLog
{
    /// <summary>Appends one record (see <see cref="EndpointStreamLog.Append"/>).</summary>
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
            // PowerShell's own transcript still records what reaches the user; the gateway refuses new
            // sessions while the transcript directory cannot be written.
        }
    }
}
