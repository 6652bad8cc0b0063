using System.Text.Json;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// Break-the-glass events of this session, one JSON line each, in <c>support.log</c> beside the session's
/// transcript (the folder the gateway made: <c>transcripts/&lt;session id:N&gt;/</c>). It records what the
/// PowerShell transcript cannot: a lock-back by the timer while the session was idle. It holds ids and
/// hashes, never a token.
/// </summary>
internal sealed class SupportAuditLog(string path, Guid sessionId)
{
    public const string FileName = "support.log";

    private readonly Lock _gate = new();

    /// <summary>The session whose events this log holds.</summary>
    public Guid SessionId => sessionId;

    public static SupportAuditLog For(StateLayout layout, SessionIdentity identity)
        => new(Path.Combine(LiveTranscriptFolder.PathOf(layout, identity.Instance, identity.SessionId), FileName), identity.SessionId);

    public void Write(string eventName, DateTimeOffset timeUtc, object details)
    {
        string line = JsonSerializer.Serialize(new { timeUtc, @event = eventName, details });
        lock (_gate)
        {
            try
            {
                JsonLines.Append(path, line, syncToDisk: false, AtomicFile.Private | UnixFileMode.GroupRead);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The PowerShell transcript still has the cmdlet's own records; a missing folder must not
                // stop a lock-back. The gateway logs the diagnostic signal at warning level.
                HostSignalWriter.Send(HostSignals.Diagnostic(sessionId, $"support.log not written: {e.Message}"));
            }
        }
    }
}
