using System.Text.Json;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;

namespace Pep.Core.Transcripts;

/// <summary>
/// What the gateway records about one session, in <c>gateway-records/&lt;session id:N&gt;/</c> (see
/// <see cref="StateLayout.GatewayRecordDirectory"/>), apart from the live transcript folder the session host writes:
/// the session's header (<see cref="SessionHeader"/>), which process serves it (<see cref="SessionHostRecord"/>),
/// that it ended, what a seal left (<see cref="LiveFolderState"/>) and the gateway's record of the remoting messages
/// it relayed (<see cref="RecordFile"/>). Sealing takes the header and the record from here, never from the live folder.
/// </summary>
public static class GatewaySessionFolder
{
    /// <summary>The gateway's record of what the client sent and what came back (<see cref="GatewayRecordLine"/>).</summary>
    public const string RecordFile = "record.log";

    /// <summary>Written the moment the gateway knows a session has ended, before it ends the host and seals.</summary>
    public const string EndedFile = "ended.json";

    /// <summary>What a seal left (<see cref="LiveFolderState"/>).</summary>
    public const string MarkerFile = "sealed.json";

    public static string PathOf(StateLayout layout, string instance, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.GatewayRecordDirectory(instance), sessionId.ToString("N"));
    }

    /// <summary>Creates the folder (mode 0700, as its parent) with the session's header, synced.</summary>
    public static void Create(StateLayout layout, SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(identity);
        PrivateDirectory.Create(layout.GatewayRecordDirectory(identity.Instance));
        string folder = PathOf(layout, identity.Instance, identity.SessionId);
        PrivateDirectory.Create(folder);
        SessionHeader.From(identity).WriteTo(folder);
    }

    /// <summary>The state a seal left; <see cref="LiveFolderState.Unsealed"/> when none (or a damaged marker).</summary>
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

    /// <summary>
    /// True when the session's whole transcript is sealed: by a completed Close, or at its end (the folders are
    /// about to go). A session sealed by a Close still in progress is not: if its host dies mid-Close, the gateway
    /// seals its whole transcript again.
    /// </summary>
    public static bool IsSealed(string folder) => State(folder) is LiveFolderState.Closed or LiveFolderState.Ended;

    public static void MarkState(string folder, LiveFolderState state)
    {
        PrivateDirectory.Create(folder);
        File.WriteAllText(Path.Combine(folder, MarkerFile), JsonSerializer.Serialize(new { state = state.ToString() }));
    }

    /// <summary>Back to <see cref="LiveFolderState.Unsealed"/>: a Close that failed leaves its session open.</summary>
    public static void ClearState(string folder) => File.Delete(Path.Combine(folder, MarkerFile));

    /// <summary>Marks the session as ended (see <see cref="EndedFile"/>); does nothing once the folder is gone.</summary>
    public static void MarkEnded(string folder, SessionEndReason endReason)
    {
        if (Directory.Exists(folder))
        {
            File.WriteAllText(Path.Combine(folder, EndedFile), JsonSerializer.Serialize(new { endReason = endReason.ToString() }));
        }
    }

    public static bool IsMarkedEnded(string folder) => File.Exists(Path.Combine(folder, EndedFile));
}
