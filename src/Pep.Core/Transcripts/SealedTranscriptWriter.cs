using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Transcripts;

/// <summary>
/// Composes a session's sealed transcript: ONE file that starts with a header block naming the user,
/// instance, session, client address, times and end reason, followed by PowerShell's own transcript and
/// then what the endpoint's cmdlets and the restricted commands recorded of their streams.
/// </summary>
public static class SealedTranscriptWriter
{
    private const string Rule = "**********************";

    /// <summary>PowerShell names its transcripts <c>PowerShell_transcript.*.txt</c>, in a dated subfolder or not.</summary>
    public static IReadOnlyList<string> PowerShellTranscripts(string liveFolder)
        => [.. Directory.EnumerateFiles(liveFolder, "PowerShell_transcript*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Writes the sealed file, syncs it, and returns its SHA-256 (hex) and size as written.</summary>
    public static (string Sha256, long Size) Write(string target, string liveFolder, SessionHeader header, DateTimeOffset endedUtc, string endReason)
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
            IReadOnlyList<string> transcripts = PowerShellTranscripts(liveFolder);
            if (transcripts.Count == 0)
            {
                WriteText(stream, "(PowerShell wrote no transcript for this session: it ended before its first command.)\n");
            }

            foreach (string transcript in transcripts)
            {
                using FileStream source = OpenShared(transcript);
                source.CopyTo(stream);
            }

            string streams = Path.Combine(liveFolder, EndpointStreamLog.FileName);
            if (File.Exists(streams))
            {
                WriteText(stream, $"\n{Rule}\nCommand streams: the endpoint cmdlets and the restricted commands (recorded as written, whatever the preference variables)\n{Rule}\n");
                using FileStream source = OpenShared(streams);
                source.CopyTo(stream);
            }

            // Other records the endpoint keeps per session (e.g. support.log of break-the-glass) travel inside
            // the one sealed file, so that nothing of the session is left unsealed.
            foreach (string other in OtherRecords(liveFolder, transcripts))
            {
                WriteText(stream, $"\n{Rule}\n{Path.GetRelativePath(liveFolder, other)}\n{Rule}\n");
                using FileStream source = OpenShared(other);
                source.CopyTo(stream);
            }

            stream.Flush(flushToDisk: true);
        }

        using FileStream written = File.OpenRead(target);
        return (Convert.ToHexStringLower(SHA256.HashData(written)), written.Length);
    }

    private static IEnumerable<string> OtherRecords(string liveFolder, IReadOnlyList<string> transcripts)
        => Directory.EnumerateFiles(liveFolder, "*", SearchOption.AllDirectories)
            .Where(f => !transcripts.Contains(f) && Path.GetFileName(f) is not (SessionHeader.FileName or LiveTranscriptFolder.MarkerFile or LiveTranscriptFolder.EndedFile or SessionHostRecord.FileName or EndpointStreamLog.FileName))
            .Order(StringComparer.Ordinal);

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
        text.Append(Rule).Append('\n');
        return text.ToString();
    }

    private static void WriteText(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>PowerShell may still hold its transcript open (a Close seals the running session).</summary>
    private static FileStream OpenShared(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
}
