using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// The gateway's record of one session (<see cref="GatewaySessionFolder.RecordFile"/>), made from the lines it relays.
/// The relay hands each line over with <see cref="Observe"/>, which never blocks and never fails: the line is queued
/// with its time, and decoded and written on a task of its own (<see cref="PsrpFragments"/>, <see cref="PsrpRenderer"/>).
/// The queue holds at most <see cref="MaxQueuedChars"/>; past it lines are dropped and counted, and the record says
/// how many it lost and where, rather than slow the session down.
/// </summary>
internal sealed class SessionRecorder : IAsyncDisposable
{
    /// <summary>At most this many characters (16 Mi) wait to be decoded; the relay never waits for the record.</summary>
    public const long MaxQueuedChars = 16L * 1024 * 1024;

    private readonly Channel<(DateTimeOffset Time, RelayDirection Direction, string Line)> _queue =
        Channel.CreateUnbounded<(DateTimeOffset, RelayDirection, string)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly PsrpFragments _fromClient = new();
    private readonly PsrpFragments _fromHost = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Guid _sessionId;
    private readonly FileStream _file;
    private readonly Task _writer;
    private readonly long _maxQueuedChars;
    private long _queuedChars;
    private long _lostLines;
    private long _lostChars;

    /// <summary>A record appended to <c>path</c>; <c>maxQueuedChars</c> bounds the queue (<see cref="MaxQueuedChars"/> but in tests).</summary>
    public SessionRecorder(string path, Guid sessionId, TimeProvider time, ILogger logger, long maxQueuedChars = MaxQueuedChars)
    {
        _maxQueuedChars = maxQueuedChars;
        _time = time;
        _logger = logger;
        _sessionId = sessionId;
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _writer = Task.Run(WriteAsync);
    }

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

        if (!_queue.Writer.TryWrite((_time.GetUtcNow(), direction, line)))
        {
            Interlocked.Add(ref _queuedChars, -line.Length);
        }
    }

    /// <summary>Ends the record once everything queued is written (at most <paramref name="limit"/>): the seal reads it next.</summary>
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

    private async Task WriteAsync()
    {
        try
        {
            Write(new GatewayRecordLine(_time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline,
                "the gateway's record starts: every pipeline the client sent and what came back, decoded from the messages it relayed"));
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (_queue.Reader.TryRead(out (DateTimeOffset Time, RelayDirection Direction, string Line) item))
                {
                    Interlocked.Add(ref _queuedChars, -item.Line.Length);
                    ReportLost(item.Time);
                    Decode(item.Time, item.Direction, item.Line);
                }

                _file.Flush();
            }

            ReportLost(_time.GetUtcNow());
            Write(new GatewayRecordLine(_time.GetUtcNow(), "Session", GatewayRecordLine.NoPipeline, "the gateway's record ends"));
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GatewayLog.RecordWriteFailed(_logger, _sessionId, e);
        }
        finally
        {
            await _file.DisposeAsync();
        }
    }

    private void Decode(DateTimeOffset time, RelayDirection direction, string line)
    {
        if (line.StartsWith("<Signal ", StringComparison.Ordinal))
        {
            Write(new GatewayRecordLine(time, "Stop", PipelineOfPacket(line), "the client asked to stop the pipeline"));
            return;
        }

        var problems = new List<string>();
        IReadOnlyList<PsrpMessage> messages;
        try
        {
            messages = (direction == RelayDirection.ClientToHost ? _fromClient : _fromHost).Add(line, problems);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Write(new GatewayRecordLine(time, GatewayRecordLine.LostKind, GatewayRecordLine.NoPipeline, $"a packet the record could not read ({e.GetType().Name})"));
            return;
        }

        foreach (string problem in problems)
        {
            Write(new GatewayRecordLine(time, GatewayRecordLine.LostKind, GatewayRecordLine.NoPipeline, problem));
        }

        foreach (PsrpMessage message in messages)
        {
            foreach (RecordedEvent recorded in PsrpRenderer.Render(message))
            {
                Write(new GatewayRecordLine(time, recorded.Kind, GatewayRecordLine.PipelineOf(message.PipelineId), recorded.Text));
            }
        }
    }

    private void ReportLost(DateTimeOffset time)
    {
        long lines = Interlocked.Exchange(ref _lostLines, 0);
        long chars = Interlocked.Exchange(ref _lostChars, 0);
        if (lines > 0)
        {
            Write(new GatewayRecordLine(time, GatewayRecordLine.LostKind, GatewayRecordLine.NoPipeline, string.Create(CultureInfo.InvariantCulture,
                $"the record's queue was full: {lines} relayed packets ({chars} characters) before this line were not recorded; objects they belonged to are not decoded")));
        }
    }

    private static string PipelineOfPacket(string line)
    {
        int at = line.IndexOf("PSGuid='", StringComparison.Ordinal);
        return at >= 0 && Guid.TryParse(line.AsSpan(at + "PSGuid='".Length, 36), out Guid id) ? GatewayRecordLine.PipelineOf(id) : GatewayRecordLine.NoPipeline;
    }

    private void Write(GatewayRecordLine line) => _file.Write(Encoding.UTF8.GetBytes(line.Format()));
}
