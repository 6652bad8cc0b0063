using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Transcripts;

/// <summary>
/// Composes a session's sealed transcript: ONE file that starts with a header block from the gateway's memory
/// (user, instance, session, client address, culture, times, end reason), followed by sections, each framed by its
/// title and its length in bytes (<see cref="SealedTranscriptSections"/>), so that nothing the session wrote can pass
/// for another section: the gateway's record of the session (<see cref="GatewaySessionFolder.RecordFile"/>),
/// PowerShell's own transcript, what the endpoint's cmdlets and the restricted commands recorded of their streams,
/// the session's other records (support.log), and last what sealing refused to read in the live folder.
/// </summary>
public static class SealedTranscriptWriter
{
    public const string Rule = "**********************";

    /// <summary>The title of the gateway's record; <see cref="TranscriptSectionPrefix"/> starts each PowerShell transcript's.</summary>
    public const string RecordSection = "Gateway record: what the client sent and what came back, decoded by the gateway from the messages it relayed";
    public const string TranscriptSectionPrefix = "PowerShell transcript: ";
    public const string StreamsSection = "Command streams: the endpoint cmdlets and the restricted commands (recorded as written, whatever the preference variables)";
    public const string CheckSection = "Live folder check: what sealing refused to read";

    /// <summary>PowerShell names its transcripts <c>PowerShell_transcript.*.txt</c>, in a dated subfolder or not.</summary>
    public static bool IsPowerShellTranscript(string relativePath)
        => Path.GetFileName(relativePath).StartsWith("PowerShell_transcript", StringComparison.Ordinal) && relativePath.EndsWith(".txt", StringComparison.Ordinal);

    /// <summary>
    /// Writes the sealed file, syncs it, and returns its SHA-256 (hex) and size as written. <c>recordPath</c> is the
    /// gateway's record of the session; null or missing when it kept none.
    /// </summary>
    public static (string Sha256, long Size) Write(string target, string liveFolder, SessionHeader header, DateTimeOffset endedUtc, string endReason, string? recordPath = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(target, options))
        {
            WriteText(stream, HeaderBlock(header, endedUtc, endReason));
            if (recordPath is not null && File.Exists(recordPath))
            {
                using FileStream record = new(recordPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                Section(stream, RecordSection, body => CopyAtMost(record, body, long.MaxValue));
            }

            (IReadOnlyList<LiveFolderFiles.Entry> files, IReadOnlyList<string> walkRefusals) = LiveFolderFiles.Walk(liveFolder);
            var refused = new List<string>(walkRefusals);
            List<LiveFolderFiles.Entry> transcripts = [.. files.Where(f => IsPowerShellTranscript(f.RelativePath))];
            LiveFolderFiles.Entry? streams = files.FirstOrDefault(f => f.RelativePath == EndpointStreamLog.FileName);
            int copied = 0;
            foreach (LiveFolderFiles.Entry transcript in transcripts)
            {
                copied += CopySection(stream, TranscriptSectionPrefix + transcript.RelativePath, transcript, refused) ? 1 : 0;
            }

            if (copied == 0)
            {
                Section(stream, TranscriptSectionPrefix + "(none)", body => WriteText(body, "(PowerShell wrote no transcript for this session that could be read: it ended before its first command, or see the live folder check.)\n"));
            }

            if (streams is not null)
            {
                CopySection(stream, StreamsSection, streams, refused);
            }

            // Other records the endpoint keeps per session (e.g. support.log of break-the-glass) travel inside
            // the one sealed file, so that nothing of the session is left unsealed.
            foreach (LiveFolderFiles.Entry other in files.Where(f => !transcripts.Contains(f) && f != streams))
            {
                CopySection(stream, other.RelativePath, other, refused);
            }

            Section(stream, CheckSection, body => WriteText(body, refused.Count == 0 ? "(nothing refused)\n" : string.Concat(refused.Select(r => r.ReplaceLineEndings(" ") + "\n"))));
            stream.Flush(flushToDisk: true);
        }

        using FileStream written = File.OpenRead(target);
        return (Convert.ToHexStringLower(SHA256.HashData(written)), written.Length);
    }

    public static string HeaderBlock(SessionHeader header, DateTimeOffset endedUtc, string endReason)
    {
        ArgumentNullException.ThrowIfNull(header);
        var text = new StringBuilder();
        text.Append(Rule).Append('\n');
        text.Append("Privileged endpoint session transcript\n");
        text.Append("User: ").Append(header.User).Append('\n');
        text.Append("Instance: ").Append(header.Instance).Append('\n');
        text.Append("Session ID: ").Append(header.SessionId.ToString("D")).Append('\n');
        text.Append("Client address: ").Append(header.ClientAddress).Append('\n');
        text.Append("Culture: ").Append(header.Culture).Append('\n');
        text.Append("UI culture: ").Append(header.UICulture ?? "(not recorded)").Append('\n');
        text.Append("Start time (UTC): ").Append(header.StartedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("End time (UTC): ").Append(endedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("End reason: ").Append(endReason).Append('\n');
        text.Append("Header source: the gateway's own memory of the login and the relay, not the session's files\n");
        text.Append(Rule).Append('\n');
        return text.ToString();
    }

    /// <summary>Copies one live file into a section, or adds why it was refused; true when copied.</summary>
    private static bool CopySection(FileStream target, string title, LiveFolderFiles.Entry entry, List<string> refused)
    {
        using FileStream? source = LiveFolderFiles.Open(entry, refused);
        if (source is null)
        {
            return false;
        }

        Section(target, title, body =>
        {
            if (CopyAtMost(source, body, LiveFolderFiles.MaxFileBytes))
            {
                refused.Add($"{entry.RelativePath}: grew past {LiveFolderFiles.MaxFileBytes} bytes while it was sealed: only its first {LiveFolderFiles.MaxFileBytes} bytes are sealed");
            }
        });
        return true;
    }

    /// <summary>
    /// Writes a section: its title and its length (12 digits, filled in once the body is written), then the body.
    /// The length frames the body, so a body cannot end its section early or start another.
    /// </summary>
    private static void Section(FileStream target, string title, Action<Stream> body)
    {
        WriteText(target, $"\n{Rule}\n{title.ReplaceLineEndings(" ")} [");
        long lengthAt = target.Position;
        WriteText(target, $"{0:D12} bytes]\n{Rule}\n");
        long start = target.Position;
        body(target);
        long end = target.Position;
        target.Position = lengthAt;
        WriteText(target, (end - start).ToString("D12", CultureInfo.InvariantCulture));
        target.Position = end;
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; true when more were left.</summary>
    private static bool CopyAtMost(Stream source, Stream target, long limit)
    {
        byte[] buffer = new byte[81920];
        long left = limit;
        int read;
        while (left > 0 && (read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left))) > 0)
        {
            target.Write(buffer, 0, read);
            left -= read;
        }

        return left == 0 && source.Read(buffer, 0, 1) > 0;
    }

    private static void WriteText(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
