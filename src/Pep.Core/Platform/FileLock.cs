namespace Pep.Core.Platform;

/// <summary>
/// An exclusive lock on a file, shared by every process of an instance (the gateway and its session hosts).
/// .NET takes <c>FileShare.None</c> on Linux as an advisory <c>flock</c>, released when the process dies, so
/// a killed holder never leaves the lock taken.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static FileLock Acquire(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryOpen(path) is { } stream)
            {
                return new FileLock(stream);
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The lock '{Path.GetFileName(path)}' was held by another session for more than {timeout.TotalSeconds:0} s.");
            }

            cancellationToken.WaitHandle.WaitOne(Poll);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Takes the lock if nobody holds it; null at once otherwise.</summary>
    public static FileLock? TryAcquire(string path) => TryOpen(path) is { } stream ? new FileLock(stream) : null;

    private static FileStream? TryOpen(string path)
    {
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            return new FileStream(path, options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
