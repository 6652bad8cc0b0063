using System.Text.Json;
using Pep.Core.Platform;
using Pep.Core.Sessions;

namespace Pep.Core.Transcripts;

/// <summary>
/// Who a transcript belongs to: the <c>session.json</c> the gateway writes into a session's transcript
/// folder before the host starts. Sealing reads it back to head the sealed transcript. Its
/// <see cref="UICulture"/> is null in a <c>session.json</c> written before the UI culture was recorded.
/// </summary>
public sealed record SessionHeader(Guid SessionId, string User, string Instance, string ClientAddress, DateTimeOffset StartedUtc, string Culture, string? UICulture)
{
    public const string FileName = "session.json";

    public static SessionHeader From(SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new SessionHeader(identity.SessionId, identity.User, identity.Instance, identity.ClientAddress, identity.StartedUtc, identity.Culture, identity.UICulture);
    }

    public void WriteTo(string folder)
    {
        string path = Path.Combine(folder, FileName);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        JsonSerializer.Serialize(stream, this, JsonFiles.Options);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads a folder's header; a missing or damaged one still yields a header that says so (the transcript is sealed either way).</summary>
    public static SessionHeader ReadFrom(string folder, Guid sessionId, string instance)
    {
        try
        {
            using FileStream stream = File.OpenRead(Path.Combine(folder, FileName));
            SessionHeader? header = JsonSerializer.Deserialize<SessionHeader>(stream, JsonFiles.Options);
            if (header is not null && header.SessionId == sessionId)
            {
                return header;
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // Fall through: the transcript itself matters more than its header.
        }

        return new SessionHeader(sessionId, "(unknown: session.json missing or damaged)", instance, "(unknown)", Directory.GetCreationTimeUtc(folder), "(unknown)", "(unknown)");
    }
}
