namespace Pep.Core.Platform;

/// <summary>Append-only logs of one JSON object per line (ledger, grants, support events), created with mode 0600.</summary>
public static class JsonLines
{
    /// <param name="path">The log; created on the first line.</param>
    /// <param name="json">One JSON object, without a line break.</param>
    /// <param name="syncToDisk">True where a line must survive the machine going down as soon as this returns.</param>
    public static void Append(string path, string json, bool syncToDisk = true)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            UnixCreateMode = AtomicFile.Private,
        };
        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(json + "\n"));
        stream.Flush(flushToDisk: syncToDisk);
    }
}
