using Microsoft.Extensions.Logging;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;
using Pep.Gateway.Recording;

namespace Pep.Gateway.Transcripts;

/// <summary>
/// Seals transcripts on the gateway's side: each session's when it ends, whatever the reason, and at start
/// whatever a previous gateway process left unsealed (it was killed, or the machine went down). What can make
/// a seal fail (<see cref="IsSealFailure"/>: the disk, the ledger lock, a damaged ledger, an unreadable instance
/// key) is logged, never thrown: the instance keeps serving, and refuses new sessions while it cannot seal.
/// </summary>
internal sealed class TranscriptSealer
{
    private readonly TranscriptStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _record;

    /// <summary>Longest a seal waits for the gateway's record to be written out after the session ended.</summary>
    private static readonly TimeSpan RecordCompletionLimit = TimeSpan.FromSeconds(5);

    public TranscriptSealer(StateLayout layout, string instance, TimeProvider time, ILogger logger, bool record = true)
    {
        _time = time;
        _record = record;
        _store = new TranscriptStore(layout, instance, time);
        _logger = logger;
    }

    /// <summary>Records which process serves the session (see <see cref="SessionHostRecord"/>); a failure only costs a Close's wait.</summary>
    public void RecordHost(Guid sessionId, int processId)
    {
        try
        {
            SessionHostRecord.ForProcess(processId)?.WriteTo(_store.GatewayFolder(sessionId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.SessionStateNotRecorded(_logger, sessionId, e);
        }
    }

    /// <summary>
    /// Starts the gateway's record of a session in its own folder (<see cref="GatewaySessionFolder.RecordFile"/>); null
    /// when the deployment keeps none (the benchmark's switch). A record that cannot be started refuses the session.
    /// </summary>
    /// <exception cref="IOException">The record's file cannot be created.</exception>
    public SessionRecorder? StartRecord(Guid sessionId)
    {
        if (!_record)
        {
            return null;
        }

        try
        {
            return new SessionRecorder(Path.Combine(_store.GatewayFolder(sessionId), GatewaySessionFolder.RecordFile), sessionId, _time, _logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.RecordNotStarted(_logger, sessionId, e);
            throw new IOException("The gateway's record of the session cannot be written.", e);
        }
    }

    /// <summary>Marks the session ended before it is sealed (see <see cref="TranscriptStore.MarkEnded"/>).</summary>
    public void MarkEnded(Guid sessionId, SessionEndReason reason)
    {
        try
        {
            _store.MarkEnded(sessionId, reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.SessionStateNotRecorded(_logger, sessionId, e);
        }
    }

    /// <summary>
    /// Seals an ended session, headed with what the gateway knows of it (<paramref name="identity"/>, from the login)
    /// and the end it saw. A session that Close-PrivilegedEndpoint sealed is only cleaned up, and its end reason is
    /// Closed whatever the relay saw (the host exits after the Close). Failures are logged, not thrown: the folders
    /// stay and the next gateway start seals them.
    /// </summary>
    public async Task<SessionEndReason> SealAsync(SessionIdentity identity, SessionEndReason reason, SessionRecorder? recorder)
    {
        Guid sessionId = identity.SessionId;
        if (recorder is not null)
        {
            await recorder.CompleteAsync(RecordCompletionLimit);
        }

        try
        {
            if (_store.SealState(sessionId) == LiveFolderState.Closed)
            {
                _store.RemoveSession(sessionId);
                GatewayLog.TranscriptClosed(_logger, sessionId);
                LogHead();
                return SessionEndReason.Closed;
            }

            LedgerEntry entry = await Task.Run(() =>
            {
                using SigningKey key = _store.LoadInstanceKey();
                return _store.SealEnded(sessionId, _time.GetUtcNow(), reason, key, SessionHeader.From(identity));
            });
            GatewayLog.TranscriptSealed(_logger, sessionId, entry.File, entry.Sequence, entry.Sha256, reason.ToString());
            GatewayLog.ChainHead(_logger, _store.Instance, entry.Sequence, entry.Hash());
        }
        catch (Exception e) when (IsSealFailure(e))
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
            foreach (LedgerEntry entry in _store.SealAbandoned(key))
            {
                GatewayLog.TranscriptSealed(_logger, entry.SessionId, entry.File, entry.Sequence, entry.Sha256, entry.EndReason);
            }

            LogHead();
        }
        catch (Exception e) when (IsSealFailure(e))
        {
            GatewayLog.AbandonedSealFailed(_logger, e);
        }
    }

    /// <summary>
    /// Publishes the ledger's head where no session can change it (the gateway's log): with it, removing the ledger's
    /// last entries and their transcripts shows, whichever delivery they would have been in.
    /// </summary>
    private void LogHead()
    {
        (long entries, string hash) = _store.ReadHead();
        GatewayLog.ChainHead(_logger, _store.Instance, entries, hash);
    }

    /// <summary>
    /// False while the instance key cannot be loaded: no session of this instance could be sealed, so none may start
    /// (fail closed). Checked at every login and health check, so a key the operator restores is taken at once.
    /// </summary>
    public bool CanSeal()
    {
        try
        {
            using SigningKey key = _store.LoadInstanceKey();
            return key.HasPrivateKey;
        }
        catch (Exception e) when (IsSealFailure(e))
        {
            return false;
        }
    }

    /// <summary>The failures sealing expects and survives; one list for every seal, so that none of them can crash the gateway.</summary>
    public static bool IsSealFailure(Exception e)
        => e is IOException or UnauthorizedAccessException or TimeoutException or InvalidDataException or System.Security.Cryptography.CryptographicException;
}
