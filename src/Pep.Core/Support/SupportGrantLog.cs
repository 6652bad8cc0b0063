using System.Text.Json;

namespace Pep.Core.Support;

/// <summary>
/// The authority's own record of what it granted: one JSON line per grant, appended (the file is opened for
/// append only and created with mode 0600), never rewritten. It holds hashes and ids, never a token.
/// </summary>
public static class SupportGrantLog
{
    public static void Append(string path, SupportGrant grant)
    {
        string line = JsonSerializer.Serialize(new
        {
            grantedUtc = grant.GrantedUtc,
            sessionId = grant.SessionId,
            requestHash = grant.RequestHash,
            durationSeconds = (long)grant.Duration.TotalSeconds,
            expiresUtc = grant.ExpiresUtc,
            grantedBy = grant.GrantedBy,
        }) + "\n";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        stream.Flush(flushToDisk: true);
    }
}
