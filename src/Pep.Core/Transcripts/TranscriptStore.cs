using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;

namespace Pep.Core.Transcripts;

/// <summary>
/// An instance's transcripts on disk. A running session writes into its live folder
/// (<c>transcripts/&lt;session id&gt;/</c>); the gateway keeps what it knows of the session apart
/// (<see cref="GatewaySessionFolder"/>). Sealing composes one file into <c>transcripts/sealed/</c> from both (the
/// header and the gateway's record from the gateway's folder, the rest read from the live folder without trusting
/// it), appends its ledger entry to <c>transcripts/ledger.jsonl</c> and marks the session sealed in the gateway's
/// folder. Sealing is done under the ledger lock, shared by the gateway (sessions that end) and Close.
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

    /// <summary>The gateway's own folder of the session (<see cref="GatewaySessionFolder"/>).</summary>
    public string GatewayFolder(Guid sessionId) => GatewaySessionFolder.PathOf(_layout, Instance, sessionId);

    public string GatewayRecordDirectory => _layout.GatewayRecordDirectory(Instance);

    public SigningKey LoadInstanceKey() => SigningKey.Load(_layout.InstancePrivateKey(Instance));

    /// <summary>
    /// Marks a live session as ended (the client closed or left, the host died): a Close in another session then
    /// waits for its seal instead of leaving it for a later Close. Does nothing once the folder is gone.
    /// </summary>
    public void MarkEnded(Guid sessionId, SessionEndReason endReason) => GatewaySessionFolder.MarkEnded(GatewayFolder(sessionId), endReason);

    /// <summary>
    /// The sessions of this instance, other than <paramref name="except"/>, whose transcripts are not sealed:
    /// those still open, and those that have ended (marked by the gateway, or their host is gone) but are not
    /// sealed yet.
    /// </summary>
    public IReadOnlyList<LiveSession> UnsealedSessions(Guid except)
    {
        var sessions = new List<LiveSession>();
        foreach (Guid sessionId in SessionIds())
        {
            string gateway = GatewayFolder(sessionId);
            if (sessionId == except || GatewaySessionFolder.IsSealed(gateway))
            {
                continue;
            }

            bool ended = GatewaySessionFolder.IsMarkedEnded(gateway) || SessionHostRecord.ReadFrom(gateway) is { } host && !host.IsRunning();
            if (System.IO.Directory.Exists(gateway) || System.IO.Directory.Exists(LiveFolder(sessionId)))
            {
                sessions.Add(new LiveSession(SessionHeader.ReadFrom(gateway, sessionId, Instance), ended ? LiveSessionState.Ended : LiveSessionState.Open));
            }
        }

        return sessions;
    }

    /// <summary>The Close delivered everything: the session's end is its Close.</summary>
    public void ConfirmClosed(Guid sessionId) => GatewaySessionFolder.MarkState(GatewayFolder(sessionId), LiveFolderState.Closed);

    /// <summary>The state a seal left for the session (<see cref="LiveFolderState"/>), kept in the gateway's folder.</summary>
    public LiveFolderState SealState(Guid sessionId) => GatewaySessionFolder.State(GatewayFolder(sessionId));

    /// <summary>Removes both folders of a session whose transcript is sealed.</summary>
    public void RemoveSession(Guid sessionId)
    {
        DeleteTree(LiveFolder(sessionId));
        DeleteTree(GatewayFolder(sessionId));
    }

    /// <summary>
    /// Seals a session that has ended and removes its folders. <paramref name="header"/> is what the gateway knows
    /// of the session (from its memory); without it, the header the gateway wrote into its own folder is used.
    /// </summary>
    public LedgerEntry SealEnded(Guid sessionId, DateTimeOffset endedUtc, SessionEndReason endReason, SigningKey key, SessionHeader? header = null)
    {
        using FileLock held = FileLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        LedgerEntry entry = SealLocked(sessionId, endedUtc, endReason, key, LiveFolderState.Ended, header);
        RemoveSession(sessionId);
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
    /// <exception cref="InvalidDataException">The ledger no longer holds the head stated at the last delivery (its last entries were removed): nothing is sealed or delivered.</exception>
    public DeliverySnapshot SealForClose(Guid sessionId, SessionEndReason endReason, SigningKey key, string destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        using FileLock held = FileLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        CheckLastStatedHead(key);
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

        ChainHead head = ChainHead.State(Instance, LedgerFile.ReadEntries(LedgerPath), recorded, key);
        PrivateDirectory.Create(GatewayRecordDirectory);
        AtomicFile.WriteAllBytes(LastStatedHeadPath, head.ToJsonBytes());
        return new DeliverySnapshot(
            pending,
            File.ReadAllBytes(LedgerPath),
            DeliveredNames.Ledger(Instance, key.PublicKeyId),
            System.Text.Encoding.ASCII.GetBytes(key.ExportPublicKeyPem()),
            DeliveredNames.PublicKey(Instance, key.PublicKeyId))
        {
            // Under the ledger lock the gateway seals nothing: a session is either in the snapshot or here.
            Unsealed = UnsealedSessions(sessionId),
            Head = head.ToJsonBytes(),
            HeadName = DeliveredNames.Head(Instance, key.PublicKeyId),
        };
    }

    /// <summary>The head this instance stated at its last delivery (<see cref="ChainHead"/>), kept beside the gateway's records.</summary>
    public string LastStatedHeadPath => Path.Combine(GatewayRecordDirectory, "last-delivered-head.json");

    /// <summary>The ledger's current head: its last entry's number and hash (0 and the genesis hash when empty).</summary>
    public (long Entries, string Hash) ReadHead()
    {
        IReadOnlyList<LedgerEntry> entries = LedgerFile.ReadEntries(LedgerPath);
        return entries.Count > 0 ? (entries[^1].Sequence, entries[^1].Hash()) : (0, LedgerEntry.GenesisHash);
    }

    /// <summary>The next delivery compares the ledger against the head the last one stated: a removed tail stops it.</summary>
    private void CheckLastStatedHead(SigningKey key)
    {
        if (ChainHead.TryRead(LastStatedHeadPath) is not { } stated || !stated.IsSignedBy(key))
        {
            return;
        }

        if (!stated.IsIn(LedgerFile.ReadEntries(LedgerPath)))
        {
            throw new InvalidDataException(
                $"The ledger no longer holds the chain head this instance stated at its last delivery ({stated.Describe()}): its last entries were removed. Nothing is sealed or delivered; the gateway's log has every head it saw (event 1320).");
        }
    }

    /// <summary>A Close that failed leaves its session open: what it runs from now on is sealed again when it ends.</summary>
    public void ReopenAfterFailedClose(Guid sessionId) => GatewaySessionFolder.ClearState(GatewayFolder(sessionId));

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
        foreach (Guid sessionId in SessionIds())
        {
            if (!GatewaySessionFolder.IsSealed(GatewayFolder(sessionId)))
            {
                sealedNow.Add(SealLocked(sessionId, LastWrite(sessionId), SessionEndReason.GatewayRestart, key, LiveFolderState.Ended));
            }

            RemoveSession(sessionId);
        }

        return sealedNow;
    }

    private LedgerEntry SealLocked(Guid sessionId, DateTimeOffset endedUtc, SessionEndReason endReason, SigningKey key, LiveFolderState markerState, SessionHeader? known = null)
    {
        string folder = LiveFolder(sessionId);
        string gateway = GatewayFolder(sessionId);
        PrivateDirectory.Create(SealedDirectory);
        IReadOnlyList<LedgerEntry> entries = LedgerFile.ReadEntries(LedgerPath);
        LedgerEntry? previous = entries.Count > 0 ? entries[^1] : null;
        SessionHeader header = known ?? SessionHeader.ReadFrom(gateway, sessionId, Instance);
        long sequence = (previous?.Sequence ?? 0) + 1;
        string name = DeliveredNames.Transcript(Instance, header.StartedUtc, sessionId, sequence);
        string temporary = Path.Combine(SealedDirectory, "." + name + ".sealing");

        // Order matters for crash recovery: the file is complete on disk before its entry exists, and its
        // final name appears only after the entry does (SealAbandoned finishes or rolls back the gap).
        (string sha256, long size) = SealedTranscriptWriter.Write(temporary, folder, header, endedUtc, endReason.ToString(), Path.Combine(gateway, GatewaySessionFolder.RecordFile));
        var request = new SealRequest(Instance, sessionId, name, sha256, size, header.User, header.ClientAddress,
            header.StartedUtc, endedUtc, _time.GetUtcNow(), endReason.ToString());
        LedgerEntry entry = LedgerChain.Next(previous, request, key);
        LedgerFile.Append(LedgerPath, entry);
        GatewaySessionFolder.MarkState(gateway, markerState);
        File.Move(temporary, Path.Combine(SealedDirectory, name));
        return entry;
    }

    /// <summary>The sessions with a live folder, a gateway folder, or both (a host may have removed its live folder).</summary>
    private SortedSet<Guid> SessionIds()
    {
        var ids = new SortedSet<Guid>();
        foreach (string root in new[] { Directory, GatewayRecordDirectory }.Where(System.IO.Directory.Exists))
        {
            foreach (string folder in System.IO.Directory.EnumerateDirectories(root))
            {
                if (LiveTranscriptFolder.TryGetSessionId(folder, out Guid sessionId))
                {
                    ids.Add(sessionId);
                }
            }
        }

        return ids;
    }

    private static void DeleteTree(string folder)
    {
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>When the gateway last wrote about the session (its record, its header): the live folder's times are the host's to set.</summary>
    private DateTimeOffset LastWrite(Guid sessionId)
    {
        string gateway = GatewayFolder(sessionId);
        DateTime last = System.IO.Directory.Exists(gateway) ? System.IO.Directory.GetLastWriteTimeUtc(gateway) : _time.GetUtcNow().UtcDateTime;
        foreach (string file in System.IO.Directory.Exists(gateway) ? System.IO.Directory.EnumerateFiles(gateway) : [])
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
