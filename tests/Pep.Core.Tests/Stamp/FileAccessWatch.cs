using System.Runtime.InteropServices;

namespace Pep.Core.Tests.Stamp;

/// <summary>
/// The kernel's notice (inotify) that some process read a file, or closed it after reading: lets a test act at
/// the moment another component is in the middle of reading, instead of hoping for the timing.
/// </summary>
internal sealed class FileAccessWatch : IDisposable
{
    private const int NonBlocking = 0x800;
    private const uint Access = 0x1;
    private const uint ClosedAfterReading = 0x10;
    private const short PollIn = 0x1;
    private readonly int _reads;
    private readonly int _closes;

    public FileAccessWatch(string path)
    {
        _reads = Watch(path, Access);
        _closes = Watch(path, ClosedAfterReading);
    }

    /// <summary>Waits until the file is read (a read call since the watch began); false after <paramref name="limit"/>.</summary>
    public bool WaitForRead(TimeSpan limit) => Wait(_reads, limit);

    /// <summary>Whether a reader has closed the file since the watch began (without waiting).</summary>
    public bool ClosedByAReader => Wait(_closes, TimeSpan.Zero);

    private static int Watch(string path, uint mask)
    {
        int fd = inotify_init1(NonBlocking);
        if (fd < 0 || inotify_add_watch(fd, System.Text.Encoding.UTF8.GetBytes(path + "\0"), mask) < 0)
        {
            throw new IOException($"inotify on {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return fd;
    }

    private static bool Wait(int fd, TimeSpan limit)
    {
        var poll = new[] { new PollDescriptor { Fd = fd, Events = PollIn } };
        return Poll(poll, 1, (int)limit.TotalMilliseconds) > 0 && (poll[0].Revents & PollIn) != 0;
    }

    public void Dispose()
    {
        _ = close(_reads);
        _ = close(_closes);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_add_watch(int fd, byte[] nulTerminatedPath, uint mask);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll([In, Out] PollDescriptor[] descriptors, ulong count, int timeoutMilliseconds);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
