using System.Text.Json;
using Pep.Core.Deployment;
using Pep.Core.Sessions;

namespace Pep.Gateway.Sessions;

/// <summary>
/// A session's transcript folder under the instance's transcript directory, named by session id. The
/// gateway writes <c>session.json</c> (who, from where, when) before the host starts; PowerShell writes the
/// transcript itself beside it. Failing to create it refuses the session: nothing runs unrecorded.
/// </summary>
internal static class TranscriptFolder
{
    public const string HeaderFile = "session.json";

    public static string Create(StateLayout layout, SessionIdentity identity)
    {
        // A full or read-only disk must refuse the session, not let it run unrecorded: creating a folder and a
        // small file can still succeed on a disk too full for the transcript itself.
        if (!IsWritable(layout, identity.Instance, sync: false))
        {
            throw new IOException("The transcript directory cannot be written (disk full or no permission).");
        }

        string folder = PathFor(layout, identity.Instance, identity.SessionId);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var header = new
        {
            sessionId = identity.SessionId,
            user = identity.User,
            instance = identity.Instance,
            clientAddress = identity.ClientAddress,
            startedUtc = identity.StartedUtc,
            culture = identity.Culture,
        };
        string path = Path.Combine(folder, HeaderFile);
        using (FileStream stream = new(path, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, header, DeploymentConfig.JsonOptions);
            stream.Flush(flushToDisk: true);
        }

        return folder;
    }

    /// <summary>The folder of a session's transcript, known before the session's host starts.</summary>
    public static string PathFor(StateLayout layout, string instance, Guid sessionId)
        => Path.Combine(layout.TranscriptDirectory(instance), sessionId.ToString("N"));

    /// <summary>True when a file can be created and synced in the instance's transcript directory.</summary>
    /// <remarks>Without <paramref name="sync"/> the probe costs no disk flush (it runs before every session); a full
    /// disk still refuses the write itself.</remarks>
    public static bool IsWritable(StateLayout layout, string instance, bool sync = true)
    {
        string probe = Path.Combine(layout.TranscriptDirectory(instance), $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose))
            {
                stream.Write(new byte[4096]);
                stream.Flush(flushToDisk: sync);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
