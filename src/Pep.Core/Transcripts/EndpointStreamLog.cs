using System.Globalization;
using System.Text;

namespace Pep.Core.Transcripts;

/// <summary>
/// What the endpoint's own cmdlets write to their error, warning, verbose and progress streams, and what the
/// session's restricted commands (Get-Command, Select-Object, ...) write to their error, warning and information
/// streams, appended to the session's transcript folder line by line as it is written. PowerShell's
/// transcription leaves out records a preference or <c>-ErrorAction Ignore</c> suppresses; this log does not,
/// and it is on disk while a long command is still running.
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

    /// <summary>
    /// Appends one record; a failure to record is reported to the caller, which must not go on unrecorded. The
    /// record is in the kernel when this returns, so it outlives the session host whatever kills it; with
    /// <paramref name="syncToDisk"/> it is also on the disk (a few milliseconds: the endpoint's own cmdlets,
    /// whose records are few); without, the disk has it when the session is sealed (records of PowerShell's
    /// restricted commands, which can write one per input object).
    /// </summary>
    public void Append(string stream, string command, string message, bool syncToDisk = true)
    {
        string stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string oneLine = message.ReplaceLineEndings(" | ");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            // Group-readable: with separation the host's live folder gives the file the host's own group, through
            // which the gateway reads it to seal it; nobody else may enter that folder.
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        };
        using var file = new FileStream(_path, options);
        file.Write(Encoding.UTF8.GetBytes($"{stamp} {stream.ToUpperInvariant()} [{command}] {oneLine}\n"));
        file.Flush(flushToDisk: syncToDisk);
    }
}
