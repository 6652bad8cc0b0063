using System.Text.Json;
using Pep.Core.Platform;

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
        });
        JsonLines.Append(path, line);
    }

    /// <summary>A recovery's line: the account it lets the instance change, with the same ids and hashes.</summary>
    public static void Append(string path, PasswordRecoveryGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        string line = JsonSerializer.Serialize(new
        {
            grantedUtc = grant.GrantedUtc,
            kind = "passwordRecovery",
            recoveryId = grant.RecoveryId,
            account = grant.Account,
            requestHash = grant.RequestHash,
            expiresUtc = grant.ExpiresUtc,
            grantedBy = grant.GrantedBy,
        });
        JsonLines.Append(path, line);
    }
}
