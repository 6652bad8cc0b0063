using System.Runtime.InteropServices;

namespace Pep.Core.Platform;

/// <summary>File ownership and the process's own ids, which .NET has no API for.</summary>
public static partial class PosixOwnership
{
    /// <summary>Gives a file or folder (never a symbolic link's target) to this user and group.</summary>
    public static void Change(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            const int NoSuchFile = 2;
            if (errno == NoSuchFile)
            {
                throw new FileNotFoundException($"'{path}' is gone.", path);
            }

            throw new IOException($"Cannot give '{path}' to uid {uid}, gid {gid}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
    }

    /// <summary>Gives a file or folder to another group (the caller must own it and belong to the group, or be root).</summary>
    public static void ChangeGroup(string path, int gid) => Change(path, -1, gid);

    public static bool IsRoot => geteuid() == 0;

    /// <summary>
    /// True when the process may change its user and group ids and signal other users' processes (CAP_SETUID,
    /// CAP_SETGID and CAP_KILL in its effective set), as the gateway may after <c>pep serve</c> dropped to its account.
    /// </summary>
    public static bool CanSwitchUsers()
    {
        const ulong Kill = 1UL << 5, SetGid = 1UL << 6, SetUid = 1UL << 7;
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
               && ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out ulong effective)
               && (effective & (Kill | SetGid | SetUid)) == (Kill | SetGid | SetUid);
    }

    /// <summary>Sets the process's file creation mask (inherited by every process it starts); returns the previous one.</summary>
    public static UnixFileMode SetCreationMask(UnixFileMode masked) => (UnixFileMode)umask((uint)masked);

    public static int EffectiveUserId => (int)geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial uint umask(uint mask);
}
