using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Transcripts;

/// <summary>
/// The gateway's part of a session's transcript folder (<see cref="LiveTranscriptFolder"/>): it is made before
/// the host starts, and only on a transcript directory that can take writes. Failing to create it refuses the
/// session: nothing runs unrecorded.
/// </summary>
internal static class TranscriptFolder
{
    public static string Create(StateLayout layout, SessionIdentity identity)
    {
        // A full or read-only disk must refuse the session, not let it run unrecorded: creating a folder and a
        // small file can still succeed on a disk too full for the transcript itself.
        if (!IsWritable(layout, identity.Instance, sync: false))
        {
            throw new IOException("The transcript directory cannot be written (disk full or no permission).");
        }

        return LiveTranscriptFolder.Create(layout, identity);
    }

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
