using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// The gateway's record of one session (<see cref="GatewaySessionFolder.RecordFile"/>), made from the lines it relays.
/// The relay hands each line over with <see cref="Observe"/>, which never blocks and never fails: the line is queued
/// with its time. A task of its own appends it to the spool (<see cref="RecordSpool"/>, raw, cheap) and decodes
/// (<see cref="PsrpFragments"/>, <see cref="PsrpRenderer"/>) only when the session has been quiet for
/// <see cref="QuietBeforeDecoding"/>, when <see cref="MaxUndecodedChars"/> wait, when a Close seals the session
/// (<see cref="CatchUp"/>) and when it ends: decoding, which costs far more CPU than relaying, never competes with a
/// command's round trip (bench/README.md, figure 6). The queue holds at most <see cref="MaxQueuedChars"/>; past it
/// lines are dropped and counted, and the record says how many it lost and where, rather than slow the session down.
/// </summary>
internal sealed class SessionRecorder : IAsyncDisposable
{
    /// <summary>At most this many characters (16 Mi) wait to be spooled; the relay never waits for the record.</summary>
    public const long MaxQueuedChars = 16L * 1024 * 1024;

    /// <summary>At most this many characters (1 Mi) wait undecoded, so that the end of a session decodes little.</summary>
    public const long MaxUndecodedChars = 1024 * 1024;

    /// <summary>Decoding waits until nothing was relayed for this long (an operator's pause, or a command's end).</summary>
    public static readonly TimeSpan QuietBeforeDecoding = TimeSpan.FromMilliseconds(200);

    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });

    private readonly List<RelayedLine> _undecoded = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Guid _sessionId;
    private readonly FileStream _file;
    private readonly RecordSpool _spool;
    private readonly Task _writer;
    private readonly long _maxQueuedChars;
    private long _queuedChars;
    private long _undecodedChars;
    private long _lostLines;
    private long _lostChars;

    /// <summary>A queued line, or a request to decode everything queued before it (<see cref="CatchUp"/>).</summary>
    private readonly record struct Queued(RelayedLine Line, TaskCompletionSource? CaughtUp = null);

    /// <summary>A record appended to <c>path</c>, its spool beside it; <c>maxQueuedChars</c> bounds the queue (<see cref="MaxQueuedChars"/> but in tests).</summary>
    public SessionRecorder(string path, Guid sessionId, TimeProvider time, ILogger logger, long maxQueuedChars = MaxQueuedChars)
    {
        _maxQueuedChars = maxQueuedChars;
        _time = time;
        _logger = logger;
        _sessionId = sessionId;
        _file = OpenRecord(path);
        try
        {
            _spool = new RecordSpool(SpoolPath(path));
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The spool beside a record file.</summary>
    public static string SpoolPath(string recordPath) => Path.Combine(Path.GetDirectoryName(recordPath) ?? ".", RecordSpool.FileName);

    /// <summary>Takes one relayed line; called by the relay for every line, each way. Cheap, never blocks, never throws.</summary>
    public void Observe(RelayDirection direction, string line)
    {
        // Only data packets carry messages; a signal (the client's stop) is recorded too. Acknowledgements are not.
        if (!line.StartsWith("<Data ", StringComparison.Ordinal) && !line.StartsWith("<Signal ", StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Add(ref _queuedChars, line.Length) > _maxQueuedChars)
        {
            Interlocked.Add(ref _queuedChars, -line.Length);
            Interlocked.Increment(ref _lostLines);
            Interlocked.Add(ref _lostChars, line.Length);
            return;
        }

        if (!_queue.Writer.TryWrite(new Queued(new RelayedLine(_time.GetUtcNow(), direction, line))))
        {
            Interlocked.Add(ref _queuedChars, -line.Length);
        }
    }

    /// <summary>
    /// Records, in order with the relayed lines, the legal notice the gateway handed the client with the session (on one
    /// line: line breaks become " | "). Like <see cref="Observe"/>, never blocks and never throws.
    /// </summary>
    public void NoteLegalNotice(string caption, string text)
    {
        string note = GatewayRecordLine.OneLine($"the legal notice handed to the client to show before its first prompt: {caption} | {text}");
        // Refused only once the record is ending, when there is no session left to show it to.
        _ = _queue.Writer.TryWrite(new Queued(new RelayedLine(_time.GetUtcNow(), RelayDirection.HostToClient, string.Empty, note, GatewayRecordLine.NoticeKind)));
    }

    /// <summary>
    /// Decodes everything relayed so far into the record file (at most <paramref name="limit"/>); for a Close, which
    /// seals the session while it runs. False when the limit passed first.
    /// </summary>
    public bool CatchUp(TimeSpan limit)
    {
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Completed: the record is being finished, or is; a writer that failed (logged) has nothing more to decode.
        return _queue.Writer.TryWrite(new Queued(default, caughtUp))
            ? Task.WaitAny([caughtUp.Task, _writer], limit) >= 0
            : Task.WaitAny([_writer], limit) >= 0;
    }

    /// <summary>Ends the record once everything queued is decoded and written (at most <paramref name="limit"/>): the seal reads it next.</summary>
    public async Task CompleteAsync(TimeSpan limit)
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_writer, Task.Delay(limit, _time)) != _writer)
        {
            GatewayLog.RecordIncomplete(_logger, _sessionId, limit.TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes the spool a killed gateway left in a session's gateway folder into its record, and removes it; the seal
    /// at the next start then takes a complete record. Nothing to do when there is no spool.
    /// </summary>
    public static void RecoverSpool(string gatewayFolder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        string spool = Path.Combine(gatewayFolder, RecordSpool.FileName);
        if (!File.Exists(spool))
        {
            return;
        }

        using (FileStream file = OpenRecord(Path.Combine(gatewayFolder, GatewaySessionFolder.RecordFile)))
        {
            var decoder = new RecordDecoder(file);
            decoder.Write(new GatewayRecordLine(time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline,
                "the gateway stopped before it decoded what follows; decoded at its next start (an object begun before this point is not decoded)"));
            foreach (RelayedLine line in RecordSpool.Read(spool))
            {
                decoder.Decode(line);
            }

            decoder.Write(new GatewayRecordLine(time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline, "the gateway's record ends"));
            file.Flush(flushToDisk: true);
        }

        File.Delete(spool);
    }

    private static FileStream OpenRecord(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.Read,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });

    private async Task WriteAsync()
    {
        var decoder = new RecordDecoder(_file);
        bool spooled = true;
        try
        {
            decoder.Write(new GatewayRecordLine(_time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline,
                "the gateway's record starts: every pipeline the client sent and what came back, decoded from the messages it relayed"));
            _file.Flush();
            Task<bool>? waiting = null;
            while (true)
            {
                waiting ??= _queue.Reader.WaitToReadAsync().AsTask();
                if (_undecoded.Count > 0 && !waiting.IsCompleted
                    && await Task.WhenAny(waiting, Task.Delay(QuietBeforeDecoding, _time)) != waiting)
                {
                    DecodeWaiting(decoder);
                    continue;
                }

                if (!await waiting)
                {
                    break;
                }

                waiting = null;
                while (_queue.Reader.TryRead(out Queued item))
                {
                    if (item.CaughtUp is { } caughtUp)
                    {
                        DecodeWaiting(decoder);
                        caughtUp.TrySetResult();
                        continue;
                    }

                    Interlocked.Add(ref _queuedChars, -item.Line.Line.Length);
                    Take(LostBefore(item.Line.Time));
                    Take(item.Line);
                }

                _spool.Flush();
                if (_undecodedChars > MaxUndecodedChars)
                {
                    DecodeWaiting(decoder);
                }
            }

            Take(LostBefore(_time.GetUtcNow()));
            DecodeWaiting(decoder);
            decoder.Write(new GatewayRecordLine(_time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline, "the gateway's record ends"));
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            spooled = false;
            GatewayLog.RecordWriteFailed(_logger, _sessionId, e);
        }
        finally
        {
            _queue.Writer.TryComplete();
            await _file.DisposeAsync();
            _spool.Dispose();
            if (spooled)
            {
                DeleteSpool();
            }
        }
    }

    /// <summary>Spools a line (or a note) to be decoded later.</summary>
    private void Take(RelayedLine? line)
    {
        if (line is { } taken)
        {
            _spool.Append(taken);
            _undecoded.Add(taken);
            _undecodedChars += taken.Line.Length;
        }
    }

    private void DecodeWaiting(RecordDecoder decoder)
    {
        foreach (RelayedLine line in _undecoded)
        {
            decoder.Decode(line);
        }

        _undecoded.Clear();
        _undecodedChars = 0;
        _file.Flush();
        _spool.Clear();
    }

    /// <summary>The note that the queue dropped packets before <paramref name="time"/>, if it did.</summary>
    private RelayedLine? LostBefore(DateTimeOffset time)
    {
        long lines = Interlocked.Exchange(ref _lostLines, 0);
        long chars = Interlocked.Exchange(ref _lostChars, 0);
        return lines == 0 ? null : new RelayedLine(time, RelayDirection.HostToClient, "", string.Create(CultureInfo.InvariantCulture,
            $"the record's queue was full: {lines} relayed packets ({chars} characters) before this line were not recorded; objects they belonged to are not decoded"));
    }

    private void DeleteSpool()
    {
        try
        {
            File.Delete(SpoolPath(_file.Name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.RecordWriteFailed(_logger, _sessionId, e);
        }
    }
}
