using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Sessions;

/// <summary>
/// Seals transcripts on the gateway's side: each session's when it ends, whatever the reason, and at start
/// whatever a previous gateway process left unsealed (it was killed, or the machine went down).
/// </summary>
internal sealed class TranscriptSealer
{
    /// <summary>The end reason of sessions a previous gateway process left behind.</summary>
    public const string AbandonedReason = "GatewayRestart";

    private readonly TranscriptStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public TranscriptSealer(StateLayout layout, string instance, TimeProvider time, ILogger logger)
    {
        _time = time;
        _store = new TranscriptStore(layout, instance, time);
        _logger = logger;
    }

    /// <summary>Records which process serves the session (see <see cref="SessionHostRecord"/>); a failure only costs a Close's wait.</summary>
    public void RecordHost(Guid sessionId, int processId)
    {
        try
        {
            SessionHostRecord.ForProcess(processId)?.WriteTo(_store.LiveFolder(sessionId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.SessionStateNotRecorded(_logger, sessionId, e);
        }
    }

    /// <summary>Marks the session ended before it is sealed (see <see cref="TranscriptStore.MarkEnded"/>).</summary>
    public void MarkEnded(Guid sessionId, SessionEndReason reason)
    {
        try
        {
            _store.MarkEnded(sessionId, reason.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.SessionStateNotRecorded(_logger, sessionId, e);
        }
    }

    /// <summary>
    /// Seals an ended session. A session that Close-PrivilegedEndpoint sealed is only cleaned up, and its end
    /// reason is Closed whatever the relay saw (the host exits after the Close). Failures are logged, not
    /// thrown: the folder stays and the next gateway start seals it.
    /// </summary>
    public async Task<SessionEndReason> SealAsync(Guid sessionId, SessionEndReason reason)
    {
        string folder = _store.LiveFolder(sessionId);
        try
        {
            if (TranscriptStore.MarkerState(folder) == "Closed")
            {
                Directory.Delete(folder, recursive: true);
                GatewayLog.TranscriptClosed(_logger, sessionId);
                return SessionEndReason.Closed;
            }

            LedgerEntry entry = await Task.Run(() =>
            {
                using SigningKey key = _store.LoadInstanceKey();
                return _store.SealEnded(sessionId, _time.GetUtcNow(), reason.ToString(), key);
            });
            GatewayLog.TranscriptSealed(_logger, sessionId, entry.File, entry.Sequence, entry.Sha256, reason.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            GatewayLog.TranscriptSealFailed(_logger, sessionId, e);
        }

        return reason;
    }

    /// <summary>At start: seals every transcript folder without a seal; the instance serves no session before.</summary>
    /// <remarks>
    /// A failure is logged and the gateway starts anyway: it refuses sessions while it cannot write
    /// transcripts (health 503), and the next start tries again.
    /// </remarks>
    public void SealAbandoned()
    {
        try
        {
            using SigningKey key = _store.LoadInstanceKey();
            foreach (LedgerEntry entry in _store.SealAbandoned(AbandonedReason, key))
            {
                GatewayLog.TranscriptSealed(_logger, entry.SessionId, entry.File, entry.Sequence, entry.Sha256, entry.EndReason);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidDataException)
        {
            GatewayLog.AbandonedSealFailed(_logger, e);
        }
    }
}
