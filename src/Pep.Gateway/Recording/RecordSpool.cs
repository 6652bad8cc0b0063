using System.Globalization;
using System.Text;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// The relayed packets the record has not decoded yet, kept on disk beside the record (<see cref="FileName"/>, mode
/// 0600) so that a gateway killed mid-session leaves them for its next start to decode
/// (<see cref="SessionRecorder.RecoverSpool"/>). One line each: time (Unix ms), <c>C</c> (client to host), <c>H</c> (host
/// to client) or <c>L</c> (a note), then the packet. Emptied each time what it holds has been decoded.
/// </summary>
internal sealed class RecordSpool : IDisposable
{
    public const string FileName = "record.spool";

    private readonly FileStream _file;

    public RecordSpool(string path)
        => _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });

    public void Append(RelayedLine line)
    {
        char kind = line.Note is not null ? (line.NoteKind == GatewayRecordLine.NoticeKind ? 'N' : 'L') : line.Direction == RelayDirection.ClientToHost ? 'C' : 'H';
        _file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{line.Time.ToUnixTimeMilliseconds()} {kind} {line.Note ?? line.Line}\n")));
    }

    /// <summary>Hands what was appended to the operating system (no sync: it is there if the gateway dies, not if the machine does).</summary>
    public void Flush() => _file.Flush();

    /// <summary>Everything it held is decoded into the record.</summary>
    public void Clear()
    {
        _file.Flush();
        _file.SetLength(0);
        _file.Position = 0;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The lines of a spool a killed gateway left; a line that is not one (a write cut short) is skipped.</summary>
    public static IEnumerable<RelayedLine> Read(string path)
    {
        foreach (string text in File.ReadLines(path))
        {
            string[] parts = text.Split(' ', 3);
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
                && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() && parts[1] is "C" or "H" or "L" or "N")
            {
                DateTimeOffset time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                yield return parts[1] switch
                {
                    "L" => new RelayedLine(time, RelayDirection.HostToClient, "", parts[2]),
                    "N" => new RelayedLine(time, RelayDirection.HostToClient, "", parts[2], GatewayRecordLine.NoticeKind),
                    _ => new RelayedLine(time, parts[1] == "C" ? RelayDirection.ClientToHost : RelayDirection.HostToClient, parts[2]),
                };
            }
        }
    }
}
