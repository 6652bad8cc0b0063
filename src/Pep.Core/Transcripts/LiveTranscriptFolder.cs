using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;

namespace Pep.Core.Transcripts;

/// <summary>
/// A running session's transcript folder, <c>transcripts/&lt;session id:N&gt;/</c>: PowerShell, the endpoint's cmdlets
/// and support.log write into it, so the session host can write anything there. Sealing reads it without trusting
/// it (<see cref="LiveFolderFiles"/>); what the gateway knows about the session is kept apart, in its
/// <see cref="GatewaySessionFolder"/>.
/// </summary>
public static class LiveTranscriptFolder
{
    public static string PathOf(StateLayout layout, string instance, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.TranscriptDirectory(instance), sessionId.ToString("N"));
    }

    /// <summary>The session a folder belongs to; false for anything else there (sealed/, probes).</summary>
    public static bool TryGetSessionId(string folder, out Guid sessionId)
        => Guid.TryParseExact(Path.GetFileName(folder), "N", out sessionId);

    /// <summary>Creates the live folder (mode 0700) and the gateway's own folder of the session, with its header.</summary>
    public static string Create(StateLayout layout, SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        GatewaySessionFolder.Create(layout, identity);
        string folder = PathOf(layout, identity.Instance, identity.SessionId);
        PrivateDirectory.Create(folder);
        return folder;
    }
}
