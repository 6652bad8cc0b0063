using System.Text.Json;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;

namespace Pep.Core.Transcripts;

/// <summary>
/// A running session's transcript folder, <c>transcripts/&lt;session id:N&gt;/</c>: the one place that knows its
/// path, its <c>session.json</c> (<see cref="SessionHeader"/>) and its seal marker. The gateway creates it before
/// the host starts; PowerShell, the endpoint's cmdlets and support.log write into it; sealing reads it whole.
/// </summary>
public static class LiveTranscriptFolder
{
    /// <summary>What a seal left in the folder (<see cref="LiveFolderState"/>).</summary>
    public const string MarkerFile = "sealed.json";

    /// <summary>Written by the gateway the moment it knows a session has ended, before it ends the host and seals.</summary>
    public const string EndedFile = "ended.json";

    public static string PathOf(StateLayout layout, string instance, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.TranscriptDirectory(instance), sessionId.ToString("N"));
    }

    /// <summary>The session a folder of the transcript directory belongs to; false for anything else there (sealed/, probes).</summary>
    public static bool TryGetSessionId(string folder, out Guid sessionId)
        => Guid.TryParseExact(Path.GetFileName(folder), "N", out sessionId);

    /// <summary>Creates the folder (mode 0700) with its <c>session.json</c>, synced: who, from where, when, in which culture.</summary>
    public static string Create(StateLayout layout, SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        string folder = PathOf(layout, identity.Instance, identity.SessionId);
        PrivateDirectory.Create(folder);
        SessionHeader.From(identity).WriteTo(folder);
        return folder;
    }

    /// <summary>
    /// True when the session's whole transcript is sealed: by a completed Close, or at its end (the folder
    /// is about to go). A session sealed by a Close still in progress is not: if its host dies mid-Close, the
    /// gateway seals its whole transcript again.
    /// </summary>
    public static bool IsSealed(string folder) => State(folder) is LiveFolderState.Closed or LiveFolderState.Ended;

    /// <summary>The state a seal left in the folder; <see cref="LiveFolderState.Unsealed"/> when none (or a damaged marker).</summary>
    public static LiveFolderState State(string folder)
    {
        string marker = Path.Combine(folder, MarkerFile);
        if (!File.Exists(marker))
        {
            return LiveFolderState.Unsealed;
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(marker));
            return json.RootElement.TryGetProperty("state", out JsonElement state)
                   && Enum.TryParse(state.GetString(), out LiveFolderState parsed) && Enum.IsDefined(parsed)
                ? parsed
                : LiveFolderState.Unsealed;
        }
        catch (JsonException)
        {
            return LiveFolderState.Unsealed;
        }
    }

    public static void MarkState(string folder, LiveFolderState state)
        => File.WriteAllText(Path.Combine(folder, MarkerFile), JsonSerializer.Serialize(new { state = state.ToString() }));

    /// <summary>Marks the session as ended (see <see cref="EndedFile"/>); does nothing once the folder is gone.</summary>
    public static void MarkEnded(string folder, SessionEndReason endReason)
    {
        if (Directory.Exists(folder))
        {
            File.WriteAllText(Path.Combine(folder, EndedFile), JsonSerializer.Serialize(new { endReason = endReason.ToString() }));
        }
    }

    public static bool IsMarkedEnded(string folder) => File.Exists(Path.Combine(folder, EndedFile));

    /// <summary>Back to <see cref="LiveFolderState.Unsealed"/>: a Close that failed leaves its session open.</summary>
    public static void ClearState(string folder) => File.Delete(Path.Combine(folder, MarkerFile));
}
