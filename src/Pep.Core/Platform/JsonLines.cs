namespace Pep.Core.Platform;

/// <summary>Append-only logs of one JSON object per line (ledger, grants, support events), created with mode 0600.</summary>
public static class JsonLines
{
    /// <param name="path">The log; created on the first line.</param>
    /// <param name="json">One JSON object, without a line break.</param>
    /// <param name="syncToDisk">True where a line must survive the machine going down as soon as this returns.</param>
    /// <param name="mode">The mode a new log is created with: 0600, or group-readable for a log a session host writes
    /// into its live folder, which the gateway reads through that folder's group.</param>
    public static void Append(string path, string json, bool syncToDisk = true, UnixFileMode mode = AtomicFile.Private)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        };
        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(json + "\n"));
        stream.Flush(flushToDisk: syncToDisk);
    }
}
