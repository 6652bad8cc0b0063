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
/// PowerShell transcript cannot (the request hash that ties a grant to its elevation). It holds ids and hashes,
/// never a token. A line that cannot be written stops what it records (<see cref="SupportRecordException"/>).
/// </summary>
internal sealed class SupportAuditLog(string path, Guid sessionId)
{
    public const string FileName = "support.log";

    private readonly Lock _gate = new();

    /// <summary>The session whose events this log holds.</summary>
    public Guid SessionId => sessionId;

    public static SupportAuditLog For(StateLayout layout, SessionIdentity identity)
        => new(Path.Combine(LiveTranscriptFolder.PathOf(layout, identity.Instance, identity.SessionId), FileName), identity.SessionId);

    /// <exception cref="SupportRecordException">The line could not be written; the gateway's log has the host's diagnostic.</exception>
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
                HostSignalWriter.Send(HostSignals.Problem(sessionId, HostProblem.SupportLogNotWritten, $"support.log not written ({eventName}): {e.Message}"));
                throw new SupportRecordException($"support.log could not be written ({e.Message}), so this step is refused: nothing of break the glass happens unrecorded.", e);
            }
        }
    }
}
