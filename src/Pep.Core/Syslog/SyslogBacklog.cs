using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Core.Syslog;

/// <summary>
/// The events waiting for the syslog server, on disk in the gateway's private state, so that a server that is down
/// (or a gateway restarted meanwhile) loses nothing: one file per message, named by its sequence number, written
/// atomically (mode 0600) and removed once sent. Bounded by <see cref="Capacity"/> messages of at most
/// <see cref="SyslogFrame.MaxMessageBytes"/> each; when full, the oldest is dropped and counted in <see cref="Lost"/>
/// (kept on disk too), which the forwarder reports as a "lost N" event before the next one it sends.
/// Used by one thread at a time (the forwarder's).
/// </summary>
public sealed class SyslogBacklog
{
    private const string Extension = ".msg";
    private const string LostFile = "lost";
    private readonly string _folder;
    private readonly Queue<long> _sequences;
    private long _next;

    public SyslogBacklog(string folder, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _folder = folder;
        Capacity = capacity;
        PrivateDirectory.Create(folder);
        foreach (string leftover in Directory.EnumerateFiles(folder, "*.tmp"))
        {
            File.Delete(leftover);
        }

        _sequences = new Queue<long>(Directory.EnumerateFiles(folder, "*" + Extension)
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
            .Where(n => n > 0)
            .Order());
        _next = _sequences.Count == 0 ? 1 : _sequences.Max() + 1;
        string lost = Path.Combine(folder, LostFile);
        Lost = File.Exists(lost) && long.TryParse(File.ReadAllText(lost), NumberStyles.None, CultureInfo.InvariantCulture, out long count) ? count : 0;
    }

    public int Capacity { get; }

    public int Count => _sequences.Count;

    /// <summary>Messages dropped (oldest first) because the queue was full, since the last <see cref="ClearLost"/>.</summary>
    public long Lost { get; private set; }

    public void Enqueue(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        while (_sequences.Count >= Capacity)
        {
            File.Delete(PathOf(_sequences.Dequeue()));
            AddLost(1);
        }

        long sequence = _next++;
        AtomicFile.WriteAllText(PathOf(sequence), message, AtomicFile.Private);
        _sequences.Enqueue(sequence);
    }

    /// <summary>The oldest message, left in the queue until <see cref="RemoveOldest"/>; false when the queue is empty.</summary>
    public bool TryPeek(out string message)
    {
        while (_sequences.TryPeek(out long sequence))
        {
            try
            {
                message = File.ReadAllText(PathOf(sequence));
                return true;
            }
            catch (FileNotFoundException)
            {
                // Removed from outside: nothing to send for it.
                _sequences.Dequeue();
            }
        }

        message = string.Empty;
        return false;
    }

    public void RemoveOldest()
    {
        if (_sequences.TryDequeue(out long sequence))
        {
            File.Delete(PathOf(sequence));
        }
    }

    /// <summary>Counts messages lost before they reached the queue (the gateway's in-memory hand-over was full).</summary>
    public void AddLost(long count)
    {
        Lost += count;
        AtomicFile.WriteAllText(Path.Combine(_folder, LostFile), Lost.ToString(CultureInfo.InvariantCulture), AtomicFile.Private);
    }

    /// <summary>The loss has been reported.</summary>
    public void ClearLost()
    {
        Lost = 0;
        File.Delete(Path.Combine(_folder, LostFile));
    }

    private string PathOf(long sequence) => Path.Combine(_folder, sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension);
}
