namespace Pep.Gateway.Hosting;

/// <summary>
/// Whether the instance can write transcripts, as <c>/health</c> reports it, without a disk write per request
/// (issue 17: every request created and synced a probe file). Each answer checks what needs no write (the
/// directory is there, the disk has room); the write probe itself runs at most once per interval, and only
/// when asked, so an idle instance writes nothing.
/// </summary>
internal sealed class TranscriptHealth
{
    /// <summary>Less free space than this is reported at once: a transcript needs room beyond its first line.</summary>
    public const long MinimumFreeBytes = 1024 * 1024;

    private readonly string _directory;
    private readonly TimeSpan _probeInterval;
    private readonly TimeProvider _time;
    private readonly Func<bool> _writeProbe;
    private readonly Lock _probing = new();
    private long? _probedAt;
    private bool _probeSucceeded;

    public TranscriptHealth(string directory, TimeSpan probeInterval, TimeProvider time, Func<bool> writeProbe)
    {
        _directory = directory;
        _probeInterval = probeInterval;
        _time = time;
        _writeProbe = writeProbe;
    }

    public bool IsWritable()
    {
        if (!Directory.Exists(_directory) || FreeBytes() < MinimumFreeBytes)
        {
            return false;
        }

        // One probe at a time: requests arriving meanwhile wait for its answer instead of writing their own.
        lock (_probing)
        {
            if (_probedAt is not { } at || _time.GetElapsedTime(at) >= _probeInterval)
            {
                _probeSucceeded = _writeProbe();
                _probedAt = _time.GetTimestamp();
            }

            return _probeSucceeded;
        }
    }

    private long FreeBytes()
    {
        try
        {
            return new DriveInfo(_directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
