using System.Text.Json;
using Pep.Core.Deployment;
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
    public const string MarkerFile = "sealed.json";
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

    public string LiveFolder(Guid sessionId) => Path.Combine(Directory, sessionId.ToString("N"));

    public SigningKey LoadInstanceKey() => SigningKey.Load(_layout.InstancePrivateKey(Instance));

    /// <summary>
    /// True when the session's whole transcript is sealed: by a completed Close, or at its end (the folder
    /// is about to go). A session sealed by a Close still in progress is not: if its host dies mid-Close, the
    /// gateway seals its whole transcript again.
    /// </summary>
    public static bool IsSealed(string liveFolder) => MarkerState(liveFolder) is "Closed" or "Ended";

    /// <summary>The state a seal left in a live folder: Closing, Closed, Ended; null when none.</summary>
    public static string? MarkerState(string liveFolder)
    {
        string marker = Path.Combine(liveFolder, MarkerFile);
        if (!File.Exists(marker))
        {
            return null;
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(marker));
            return json.RootElement.TryGetProperty("state", out JsonElement state) ? state.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Written by the gateway the moment it knows a session has ended, before it ends the host and seals.</summary>
    public const string EndedFile = "ended.json";

    /// <summary>
    /// Marks a live session as ended (the client closed or left, the host died): a Close in another session then
    /// waits for its seal instead of leaving it for a later Close. Does nothing once the folder is gone.
    /// </summary>
    public void MarkEnded(Guid sessionId, string endReason)
    {
        string folder = LiveFolder(sessionId);
        if (System.IO.Directory.Exists(folder))
        {
            File.WriteAllText(Path.Combine(folder, EndedFile), JsonSerializer.Serialize(new { endReason }));
        }
    }

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
            if (!Guid.TryParseExact(Path.GetFileName(folder), "N", out Guid sessionId) || sessionId == except || IsSealed(folder))
            {
                continue;
            }

            bool ended = File.Exists(Path.Combine(folder, EndedFile)) || SessionHostRecord.ReadFrom(folder) is { } host && !host.IsRunning();
            if (System.IO.Directory.Exists(folder))
            {
                sessions.Add(new LiveSession(SessionHeader.ReadFrom(folder, sessionId, Instance), ended ? LiveSessionState.Ended : LiveSessionState.Open));
            }
        }

        return sessions;
    }

    /// <summary>The Close delivered everything: the session's end is its Close.</summary>
    public void ConfirmClosed(Guid sessionId) => WriteMarker(LiveFolder(sessionId), "Closed");

    /// <summary>Seals a session that has ended and removes its live folder.</summary>
    public LedgerEntry SealEnded(Guid sessionId, DateTimeOffset endedUtc, string endReason, SigningKey key)
    {
        using InstanceLock held = InstanceLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        LedgerEntry entry = SealLocked(sessionId, endedUtc, endReason, key, "Ended");
        System.IO.Directory.Delete(LiveFolder(sessionId), recursive: true);
        return entry;
    }

    /// <summary>
    /// Seals the running session up to now (its Close command) and takes the delivery snapshot in the same
    /// hold of the ledger lock. The live folder stays (PowerShell still writes to it) but is marked sealed.
    /// </summary>
    public DeliverySnapshot SealForClose(Guid sessionId, string endReason, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using InstanceLock held = InstanceLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        SealLocked(sessionId, _time.GetUtcNow(), endReason, key, "Closing");
        IReadOnlyList<LedgerEntry> entries = LedgerFile.ReadEntries(LedgerPath);
        var pending = new List<PendingTranscript>();
        foreach (LedgerEntry entry in entries)
        {
            string path = Path.Combine(SealedDirectory, entry.File);
            if (File.Exists(path))
            {
                pending.Add(new PendingTranscript(path, entry));
            }
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
    public void ReopenAfterFailedClose(Guid sessionId) => File.Delete(Path.Combine(LiveFolder(sessionId), MarkerFile));

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
    /// predecessor left (its sessions cannot still be running: they were this instance's). Returns what it sealed.
    /// </summary>
    public IReadOnlyList<LedgerEntry> SealAbandoned(string endReason, SigningKey key)
    {
        using InstanceLock held = InstanceLock.Acquire(LedgerLockPath, LedgerLockTimeout, CancellationToken.None);
        System.IO.Directory.CreateDirectory(SealedDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
            if (!Guid.TryParseExact(Path.GetFileName(folder), "N", out Guid sessionId))
            {
                continue;
            }

            if (!IsSealed(folder))
            {
                sealedNow.Add(SealLocked(sessionId, LastWrite(folder), endReason, key, "Ended"));
            }

            System.IO.Directory.Delete(folder, recursive: true);
        }

        return sealedNow;
    }

    private LedgerEntry SealLocked(Guid sessionId, DateTimeOffset endedUtc, string endReason, SigningKey key, string markerState)
    {
        string folder = LiveFolder(sessionId);
        System.IO.Directory.CreateDirectory(SealedDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        IReadOnlyList<LedgerEntry> entries = LedgerFile.ReadEntries(LedgerPath);
        LedgerEntry? previous = entries.Count > 0 ? entries[^1] : null;
        SessionHeader header = SessionHeader.ReadFrom(folder, sessionId, Instance);
        long sequence = (previous?.Sequence ?? 0) + 1;
        string name = DeliveredNames.Transcript(Instance, header.StartedUtc, sessionId, sequence);
        string temporary = Path.Combine(SealedDirectory, "." + name + ".sealing");

        // Order matters for crash recovery: the file is complete on disk before its entry exists, and its
        // final name appears only after the entry does (SealAbandoned finishes or rolls back the gap).
        (string sha256, long size) = SealedTranscriptWriter.Write(temporary, folder, header, endedUtc, endReason);
        var request = new SealRequest(Instance, sessionId, name, sha256, size, header.User, header.ClientAddress,
            header.StartedUtc, endedUtc, _time.GetUtcNow(), endReason);
        LedgerEntry entry = LedgerChain.Next(previous, request, key);
        LedgerFile.Append(LedgerPath, entry);
        WriteMarker(folder, markerState);
        File.Move(temporary, Path.Combine(SealedDirectory, name));
        return entry;
    }

    private static void WriteMarker(string folder, string state)
        => File.WriteAllText(Path.Combine(folder, MarkerFile), JsonSerializer.Serialize(new { state }));

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
