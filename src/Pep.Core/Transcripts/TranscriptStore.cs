using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;

namespace Pep.Core.Transcripts;

/// <summary>
/// An instance's transcripts on disk. A running session writes into its live folder
/// (<c>transcripts/&lt;session id&gt;/</c>); sealing composes one file into <c>transcripts/sealed/</c>,
/// appends its ledger entry to <c>transcripts/ledger.jsonl</c> and marks the live folder sealed. Sealing is
/// done under the ledger lock, shared by the gateway (sessions that end) and session hosts (Close).
/// </summary>
public sealed class TranscriptStore
{
    private static readonly TimeSpan LedgerLockTimeout = TimeSpan.FromSeconds(60);
    private readonly StateLayout _layout;
    private readonly TimeProvider _time;

    public TranscriptStore(StateLayout layout, string instance, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _layout = layout;
        Instance = instance.ToUpperInvariant();
        _time = time;
    }

    public string Instance { get; }

    public string Directory => _layout.TranscriptDirectory(Instance);

    public string SealedDirectory => Path.Combine(Directory, "sealed");

    public string LedgerPath => Path.Combine(Directory, "ledger.jsonl");

    /// <summary>Held while the ledger is appended to or read for a delivery: short.</summary>
    public string LedgerLockPath => Path.Combine(Directory, ".ledger.lock");

    /// <summary>Held for a whole Close: two Closes never deliver the same transcripts.</summary>
    public string DeliveryLockPath => Path.Combine(Directory, ".delivery.lock");

    public string LiveFolder(Guid sessionId) => LiveTranscriptFolder.PathOf(_layout, Instance, sessionId);

    public SigningKey LoadInstanceKey() => SigningKey.Load(_layout.InstancePrivateKey(Instance));

    /// <summary>
    /// Marks a live session as ended (the client closed or left, the host died): a Close in another session then
    /// waits for its seal instead of leaving it for a later Close. Does nothing once the folder is gone.
    /// </summary>
    public void MarkEnded(Guid sessionId, SessionEndReason endReason) => LiveTranscriptFolder.MarkEnded(LiveFolder(sessionId), endReason);

    /// <summary>
    /// The sessions of this instance, other than <paramref name="except"/>, whose transcripts are not sealed:
    /// those still open, and those that have ended (marked by the gateway, or their host is gone) but are not
    /// sealed yet.
    /// </summary>
    public IReadOnlyList<LiveSession> UnsealedSessions(Guid except)
    {
        var sessions = new List<LiveSession>();
        foreach (string folder in System.IO.Directory.EnumerateDirectories(Directory))
        {
            if (!LiveTranscriptFolder.TryGetSessionId(folder, out Guid sessionId) || sessionId == except || LiveTranscriptFolder.IsSealed(folder))
            {
                continue;
            }

            bool ended = LiveTranscriptFolder.IsMarkedEnded(folder) || SessionHostRecord.ReadFrom(folder) is { } host && !host.IsRunning();
            if (System.IO.Directory.Exists(folder))
            {
                sessions.Add(new LiveSession(SessionHeader.ReadFrom(folder, sessionId, Instance), ended ? LiveSessionState.Ended : LiveSessionState.Open));
            }
        }

        return sessions;
    }

    /// <summary>The Close delivered everything: the session's end is its Close.</summary>
    public void ConfirmClosed(Guid sessionId) => LiveTranscriptFolder.MarkState(LiveFolder(sessionId), LiveFolderState.Closed);

    /// <summary>Seals a session that has ended and removes its live folder.</summary>
    public LedgerEntry SealEnded(Guid sessionId, DateTimeOffset endedUtc, SessionEndReason endReason, SigningKey key)
    {
        using FileLock held = FileLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        LedgerEntry entry = SealLocked(sessionId, endedUtc, endReason, key, LiveFolderState.Ended);
        System.IO.Directory.Delete(LiveFolder(sessionId), recursive: true);
        return entry;
    }

    /// <summary>
    /// Seals the running session up to now (its Close command), records in the ledger that every transcript
    /// still here is sent to <paramref name="destination"/>, and takes the delivery snapshot, all in the same
    /// hold of the ledger lock. The live folder stays (PowerShell still writes to it) but is marked sealed.
    /// </summary>
    /// <remarks>
    /// The delivery entries are written before the copy starts, because the ledger that travels with the
    /// transcripts must carry them; a Close that fails leaves them (an attempt is worth recording too), and
    /// the next Close records its own destination again.
    /// </remarks>
    public DeliverySnapshot SealForClose(Guid sessionId, SessionEndReason endReason, SigningKey key, string destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        using FileLock held = FileLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        LedgerEntry previous = SealLocked(sessionId, _time.GetUtcNow(), endReason, key, LiveFolderState.Closing);
        var pending = new List<PendingTranscript>();
        foreach (LedgerEntry entry in LedgerFile.ReadEntries(LedgerPath).Where(e => !e.IsDelivery))
        {
            string path = Path.Combine(SealedDirectory, entry.File);
            if (File.Exists(path))
            {
                pending.Add(new PendingTranscript(path, entry));
            }
        }

        DateTimeOffset recorded = _time.GetUtcNow();
        foreach (PendingTranscript transcript in pending)
        {
            previous = LedgerChain.NextDelivery(previous, transcript.Entry, destination, recorded, key);
            LedgerFile.Append(LedgerPath, previous);
        }

        return new DeliverySnapshot(
            pending,
            File.ReadAllBytes(LedgerPath),
            DeliveredNames.Ledger(Instance, key.PublicKeyId),
            System.Text.Encoding.ASCII.GetBytes(key.ExportPublicKeyPem()),
            DeliveredNames.PublicKey(Instance, key.PublicKeyId))
        {
            // Under the ledger lock the gateway seals nothing: a session is either in the snapshot or here.
            Unsealed = UnsealedSessions(sessionId),
        };
    }

    /// <summary>A Close that failed leaves its session open: what it runs from now on is sealed again when it ends.</summary>
    public void ReopenAfterFailedClose(Guid sessionId) => LiveTranscriptFolder.ClearState(LiveFolder(sessionId));

    /// <summary>Removes delivered transcripts: only ever called after their copies were read back and matched.</summary>
    public static void RemoveDelivered(IEnumerable<PendingTranscript> delivered)
    {
        foreach (PendingTranscript transcript in delivered)
        {
            File.Delete(transcript.Path);
        }
    }

    /// <summary>
    /// At gateway start: finishes or rolls back a seal a crash interrupted, then seals every live folder its
    /// predecessor left (its sessions cannot still be running: they were this instance's), with the end reason
    /// <see cref="SessionEndReason.GatewayRestart"/>. Returns what it sealed.
    /// </summary>
    public IReadOnlyList<LedgerEntry> SealAbandoned(SigningKey key)
    {
        using FileLock held = FileLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        PrivateDirectory.Create(SealedDirectory);
        HashSet<string> sealedFiles = [.. LedgerFile.ReadEntries(LedgerPath).Select(e => e.File)];
        foreach (string temporary in System.IO.Directory.EnumerateFiles(SealedDirectory, ".*.sealing"))
        {
            string final = Path.GetFileName(temporary)[1..^".sealing".Length];
            if (sealedFiles.Contains(final))
            {
                File.Move(temporary, Path.Combine(SealedDirectory, final), overwrite: true);
            }
            else
            {
                File.Delete(temporary);
            }
        }

        var sealedNow = new List<LedgerEntry>();
        foreach (string folder in System.IO.Directory.EnumerateDirectories(Directory))
        {
            if (!LiveTranscriptFolder.TryGetSessionId(folder, out Guid sessionId))
            {
                continue;
            }

            if (!LiveTranscriptFolder.IsSealed(folder))
            {
                sealedNow.Add(SealLocked(sessionId, LastWrite(folder), SessionEndReason.GatewayRestart, key, LiveFolderState.Ended));
            }

            System.IO.Directory.Delete(folder, recursive: true);
        }

        return sealedNow;
    }

    private LedgerEntry SealLocked(Guid sessionId, DateTimeOffset endedUtc, SessionEndReason endReason, SigningKey key, LiveFolderState markerState)
    {
        string folder = LiveFolder(sessionId);
        PrivateDirectory.Create(SealedDirectory);
        IReadOnlyList<LedgerEntry> entries = LedgerFile.ReadEntries(LedgerPath);
        LedgerEntry? previous = entries.Count > 0 ? entries[^1] : null;
        SessionHeader header = SessionHeader.ReadFrom(folder, sessionId, Instance);
        long sequence = (previous?.Sequence ?? 0) + 1;
        string name = DeliveredNames.Transcript(Instance, header.StartedUtc, sessionId, sequence);
        string temporary = Path.Combine(SealedDirectory, "." + name + ".sealing");

        // Order matters for crash recovery: the file is complete on disk before its entry exists, and its
        // final name appears only after the entry does (SealAbandoned finishes or rolls back the gap).
        (string sha256, long size) = SealedTranscriptWriter.Write(temporary, folder, header, endedUtc, endReason.ToString());
        var request = new SealRequest(Instance, sessionId, name, sha256, size, header.User, header.ClientAddress,
            header.StartedUtc, endedUtc, _time.GetUtcNow(), endReason.ToString());
        LedgerEntry entry = LedgerChain.Next(previous, request, key);
        LedgerFile.Append(LedgerPath, entry);
        LiveTranscriptFolder.MarkState(folder, markerState);
        File.Move(temporary, Path.Combine(SealedDirectory, name));
        return entry;
    }

    private static DateTimeOffset LastWrite(string folder)
    {
        DateTime last = System.IO.Directory.GetLastWriteTimeUtc(folder);
        foreach (string file in System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            DateTime written = File.GetLastWriteTimeUtc(file);
            if (written > last)
            {
                last = written;
            }
        }

        return new DateTimeOffset(last, TimeSpan.Zero);
    }
}
