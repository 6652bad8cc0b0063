using System.Buffers.Binary;

namespace Pep.Gateway.Recording;

/// <summary>
/// Reassembles the messages of one direction of a session from the out-of-process transport's packets. Each
/// <c>&lt;Data Stream='...' PSGuid='...'&gt;base64&lt;/Data&gt;</c> packet carries fragments ([MS-PSRP] 2.2.4): object
/// id (8 bytes), fragment id (8), flags (1: start 0x1, end 0x2), blob length (4), all big-endian, then the blob. A
/// message is the blobs of one object id, in fragment order. Objects over <see cref="MaxMessageBytes"/> are dropped
/// (and said so), and so is an object whose fragments do not follow each other (some were lost). At most
/// <see cref="MaxPartialObjects"/> objects are reassembled at once, so what one direction holds is bounded.
/// </summary>
internal sealed class PsrpFragments
{
    /// <summary>Past this size (8 MiB) a message is not reassembled or decoded; the record says so.</summary>
    public const int MaxMessageBytes = 8 * 1024 * 1024;

    /// <summary>Objects being reassembled at once, per direction: a sender interleaves a few (one per stream and pipeline).</summary>
    public const int MaxPartialObjects = 64;

    private const int FragmentHeaderBytes = 21;

    /// <summary>All objects being reassembled together hold at most this (16 MiB); past it the one growing is dropped, and said so.</summary>
    public const long MaxBufferedBytes = 16 * 1024 * 1024;

    private readonly Dictionary<(string Stream, long ObjectId), Partial> _partial = [];
    private long _buffered;

    private sealed class Partial
    {
        public long NextFragment { get; set; }
        public MemoryStream? Blob { get; set; } = new();
        public long Dropped { get; set; }
    }

    /// <summary>The messages a line completes; a problem (an oversize or broken object) as text in <paramref name="problems"/>.</summary>
    public IReadOnlyList<PsrpMessage> Add(string line, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var messages = new List<PsrpMessage>();
        if (!TryReadDataPacket(line, out string stream, out byte[] payload))
        {
            return messages;
        }

        ReadOnlySpan<byte> rest = payload;
        while (rest.Length >= FragmentHeaderBytes)
        {
            long objectId = BinaryPrimitives.ReadInt64BigEndian(rest);
            long fragmentId = BinaryPrimitives.ReadInt64BigEndian(rest[8..]);
            byte flags = rest[16];
            int length = BinaryPrimitives.ReadInt32BigEndian(rest[17..]);
            if (length < 0 || length > rest.Length - FragmentHeaderBytes)
            {
                problems.Add("a fragment longer than its packet: the rest of the packet was not decoded");
                return messages;
            }

            ReadOnlySpan<byte> blob = rest.Slice(FragmentHeaderBytes, length);
            rest = rest[(FragmentHeaderBytes + length)..];
            Take((stream, objectId), fragmentId, (flags & 0x1) != 0, (flags & 0x2) != 0, blob, messages, problems);
        }

        return messages;
    }

    private void Take((string Stream, long ObjectId) key, long fragmentId, bool start, bool end, ReadOnlySpan<byte> blob, List<PsrpMessage> messages, List<string> problems)
    {
        if (start)
        {
            // A sender that starts objects it never ends must not make the gateway hold them all: the record says so.
            if (_partial.Count >= MaxPartialObjects && !_partial.ContainsKey(key))
            {
                problems.Add($"more than {MaxPartialObjects} objects begun and not ended: object {key.ObjectId} was not decoded");
                return;
            }

            Forget(key);
            _partial[key] = new Partial();
        }

        if (!_partial.TryGetValue(key, out Partial? partial) || partial.NextFragment != fragmentId)
        {
            problems.Add($"object {key.ObjectId}: fragment {fragmentId} came without the fragments before it (lost): the object was not decoded");
            Forget(key);
            return;
        }

        partial.NextFragment++;
        if (partial.Blob is { } buffer && buffer.Length + blob.Length <= MaxMessageBytes && _buffered + blob.Length <= MaxBufferedBytes)
        {
            buffer.Write(blob);
            _buffered += blob.Length;
        }
        else
        {
            _buffered -= partial.Blob?.Length ?? 0;
            partial.Dropped += (partial.Blob?.Length ?? 0) + blob.Length;
            partial.Blob = null;
        }

        if (!end)
        {
            return;
        }

        Forget(key);
        if (partial.Blob is null)
        {
            problems.Add($"a message of {partial.Dropped} bytes or more, past the record's limits ({MaxMessageBytes} bytes a message, {MaxBufferedBytes} held at once): not decoded");
        }
        else if (PsrpMessage.Parse(partial.Blob.ToArray()) is { } message)
        {
            messages.Add(message);
        }
    }

    private void Forget((string Stream, long ObjectId) key)
    {
        if (_partial.Remove(key, out Partial? gone))
        {
            _buffered -= gone.Blob?.Length ?? 0;
        }
    }

    /// <summary>Reads <c>&lt;Data Stream='S' PSGuid='G'&gt;base64&lt;/Data&gt;</c>, as PowerShell writes it; false for any other packet.</summary>
    private static bool TryReadDataPacket(string line, out string stream, out byte[] payload)
    {
        stream = "";
        payload = [];
        const string Close = "</Data>";
        if (!line.StartsWith("<Data ", StringComparison.Ordinal) || !line.EndsWith(Close, StringComparison.Ordinal))
        {
            return false;
        }

        int open = line.IndexOf('>', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        int streamAt = line.IndexOf("Stream='", StringComparison.Ordinal);
        if (streamAt >= 0 && streamAt < open)
        {
            int from = streamAt + "Stream='".Length;
            int to = line.IndexOf('\'', from);
            stream = to > from ? line[from..to] : "";
        }

        try
        {
            payload = Convert.FromBase64String(line[(open + 1)..^Close.Length]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
