using System.Text.Json;
using Pep.Core.Platform;

namespace Pep.Core.Transcripts;

/// <summary>
/// Which process serves a live session: the gateway writes it into the session's transcript folder once the host
/// runs, so that a Close in another session can tell a session whose host is gone (ended, about to be sealed) from
/// one still running. The process's start time (from <c>/proc</c>) guards against a reused process id: a record
/// whose process id now names another process reads as still running, so a Close names the session as open
/// rather than wait for a seal that is not coming.
/// </summary>
public sealed record SessionHostRecord(int ProcessId, long StartTicks)
{
    public const string FileName = "host.json";

    /// <summary>The record of a running process; null when it is already gone.</summary>
    public static SessionHostRecord? ForProcess(int processId)
        => ProcessStat.Read(processId) is { HasEnded: false } process ? new SessionHostRecord(processId, process.StartTime) : null;

    public void WriteTo(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    /// <summary>The folder's record; null when there is none (the host has not started yet) or it cannot be read.</summary>
    public static SessionHostRecord? ReadFrom(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<SessionHostRecord>(File.ReadAllText(Path.Combine(folder, FileName)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>True while the recorded process lives (a zombie has ended: its output is closed, its transcript complete).</summary>
    public bool IsRunning() => ProcessStat.Read(ProcessId) is { HasEnded: false } process && process.StartTime == StartTicks;
}
