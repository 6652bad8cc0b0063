using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Pep.Core.Platform;

/// <summary>
/// Opens a file someone else could have placed, for reading, without trusting what it is: a symbolic link is not
/// followed (<c>O_NOFOLLOW</c>), a FIFO is not waited on (<c>O_NONBLOCK</c>), and what was opened is checked on the
/// open descriptor itself (<c>statx</c>, <c>/proc/self/fd</c>), so nothing can be swapped between a check and the open.
/// </summary>
public static class NoFollowFile
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint StatxTypeAndSize = 0x1 | 0x200;
    private const int SymbolicLinkLoop = 40;
    private const int NoSuchDeviceOrAddress = 6;

    /// <summary><c>O_NOFOLLOW</c> is one of the few flags whose value differs between x86-64 and arm64.</summary>
    private static int NoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary>
    /// The open file, or null with the reason it was refused: not a regular file, reached through a symbolic link
    /// (its own name or a folder on the way), or larger than <paramref name="maxBytes"/>.
    /// </summary>
    public static FileStream? OpenRegular(string path, long maxBytes, out string? refusal)
    {
        string full = Path.GetFullPath(path);
        int fd = open(NulTerminated(full), ReadOnly | NonBlocking | CloseOnExec | NoFollow);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            refusal = errno switch
            {
                SymbolicLinkLoop => "a symbolic link: not followed",
                NoSuchDeviceOrAddress => "a socket or a device without a driver: not read",
                _ => $"cannot be opened (errno {errno})",
            };
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            byte[] status = new byte[256];
            if (statx(fd, [0], EmptyPath, StatxTypeAndSize, status) != 0)
            {
                refusal = $"cannot be examined (errno {Marshal.GetLastPInvokeError()})";
                handle.Dispose();
                return null;
            }

            int type = BitConverter.ToUInt16(status, 28) & 0xF000;
            long size = (long)BitConverter.ToUInt64(status, 40);
            refusal = type switch
            {
                0x8000 => null,
                0x1000 => "a FIFO: not read",
                0x2000 => "a character device: not read",
                0x6000 => "a block device: not read",
                0xC000 => "a socket: not read",
                0x4000 => "a directory",
                _ => "not a regular file: not read",
            };
            refusal ??= new FileInfo($"/proc/self/fd/{fd}").LinkTarget is { } opened && !string.Equals(opened, full, StringComparison.Ordinal)
                ? $"reached through a symbolic link (it is {opened}): not read"
                : null;
            refusal ??= size > maxBytes ? $"{size} bytes, over the limit of {maxBytes}: not read" : null;
            if (refusal is not null)
            {
                handle.Dispose();
                return null;
            }

            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static byte[] NulTerminated(string path) => Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] nulTerminatedPath, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directoryFd, byte[] nulTerminatedPath, int flags, uint mask, [Out] byte[] status);
}
