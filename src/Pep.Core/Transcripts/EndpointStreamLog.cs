using System.Globalization;
using System.Text;

namespace Pep.Core.Transcripts;

/// <summary>
/// What the endpoint's own cmdlets write to their error, warning, verbose and progress streams, appended to
/// the session's transcript folder line by line and synced at once. PowerShell's transcription leaves out
/// records a preference or <c>-ErrorAction Ignore</c> suppresses; this log does not, and it is on disk
/// while a long command is still running.
/// </summary>
public sealed class EndpointStreamLog
{
    public const string FileName = "endpoint-streams.log";

    private readonly string _path;
    private readonly TimeProvider _time;

    public EndpointStreamLog(string liveFolder, TimeProvider time)
    {
        _path = Path.Combine(liveFolder, FileName);
        _time = time;
    }

    /// <summary>Appends one record; a failure to record is reported to the caller, which must not go on unrecorded.</summary>
    public void Append(string stream, string command, string message)
    {
        string stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string oneLine = message.ReplaceLineEndings(" | ");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var file = new FileStream(_path, options);
        file.Write(Encoding.UTF8.GetBytes($"{stamp} {stream.ToUpperInvariant()} [{command}] {oneLine}\n"));
        file.Flush(flushToDisk: true);
    }
}
