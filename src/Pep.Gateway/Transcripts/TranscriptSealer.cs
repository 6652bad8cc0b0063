using System.Collections.Concurrent;
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

    /// <summary>The records of the sessions running now, for a Close that seals its session while it runs.</summary>
    private readonly ConcurrentDictionary<Guid, SessionRecorder> _recorders = new();

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
            var recorder = new SessionRecorder(Path.Combine(_store.GatewayFolder(sessionId), GatewaySessionFolder.RecordFile), sessionId, _time, _logger);
            _recorders[sessionId] = recorder;
            return recorder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.RecordNotStarted(_logger, sessionId, e);
            throw new IOException("The gateway's record of the session cannot be written.", e);
        }
    }

    /// <summary>
    /// Decodes what the session's record has not decoded yet (it decodes when the session is quiet), so that a Close,
    /// which seals the session while it runs, seals a record that holds everything up to the Close. Bounded by the
    /// same limit as a seal's wait for the record; past it the seal takes the record as it stands, and says so in the log.
    /// </summary>
    public void CatchUpRecord(Guid sessionId)
    {
        if (_recorders.TryGetValue(sessionId, out SessionRecorder? recorder) && !recorder.CatchUp(RecordCompletionLimit))
        {
            GatewayLog.RecordBehindClose(_logger, sessionId, RecordCompletionLimit.TotalSeconds);
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
    /// and the end it saw. A session that Close-PrivilegedEndpoint sealed ends as Closed whatever the relay saw (the
    /// host exits after the Close); what was written after that seal is sealed as a further entry, never deleted
    /// unsealed. Failures are logged, not thrown: the folders stay and the next gateway start seals them.
    /// </summary>
    public async Task<SessionEndReason> SealAsync(SessionIdentity identity, SessionEndReason reason, SessionRecorder? recorder)
    {
        Guid sessionId = identity.SessionId;
        if (recorder is not null)
        {
            await recorder.CompleteAsync(RecordCompletionLimit);
            _recorders.TryRemove(new KeyValuePair<Guid, SessionRecorder>(sessionId, recorder));
        }

        try
        {
            if (_store.SealState(sessionId) == LiveFolderState.Closed)
            {
                LedgerEntry? further = await Task.Run(() =>
                {
                    using SigningKey key = _store.LoadInstanceKey();
                    return _store.SealAfterClose(sessionId, _time.GetUtcNow(), SessionEndReason.Closed, key, SessionHeader.From(identity));
                });
                GatewayLog.TranscriptClosed(_logger, sessionId);
                if (further is not null)
                {
                    GatewayLog.SealedAfterClose(_logger, sessionId, further.File, further.Sequence, further.Sha256);
                }

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
            RecoverSpools();
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
    /// Decodes what a killed predecessor's records had spooled and not yet decoded (<see cref="RecordSpool"/>), so that
    /// the sessions it left are sealed with complete records. A spool that cannot be decoded is logged and left as it is.
    /// </summary>
    private void RecoverSpools()
    {
        if (!Directory.Exists(_store.GatewayRecordDirectory))
        {
            return;
        }

        foreach (string folder in Directory.EnumerateDirectories(_store.GatewayRecordDirectory))
        {
            if (GatewaySessionFolder.IsSealed(folder) || !File.Exists(Path.Combine(folder, RecordSpool.FileName)))
            {
                continue;
            }

            try
            {
                SessionRecorder.RecoverSpool(folder, _time);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                GatewayLog.RecordSpoolNotRecovered(_logger, folder, e);
            }
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
