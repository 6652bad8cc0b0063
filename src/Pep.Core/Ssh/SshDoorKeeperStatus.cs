using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Core.Ssh;

/// <summary>
/// What the SSH door's keeper (the root process that runs sshd for a gateway that dropped root) tells its gateway:
/// its own pid, sshd's pid and the port sshd listens on, and the account sessions run as under sshd. One line of
/// <c>name=value</c> pairs in <see cref="SshDoorLayout.KeeperStatusFile"/>, written once sshd listens, removed when
/// the keeper stops.
/// </summary>
public sealed record SshDoorKeeperStatus(int KeeperPid, int SshdPid, int Port, int SessionUid, int SessionGid)
{
    private const long MaxBytes = 1024;

    public void Write(string path) => AtomicFile.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
        $"keeper={KeeperPid} sshd={SshdPid} port={Port} uid={SessionUid} gid={SessionGid}\n"));

    /// <summary>The status in the file, or null when there is none (yet) or it is not one the keeper wrote.</summary>
    public static SshDoorKeeperStatus? Read(string path)
    {
        using FileStream? file = NoFollowFile.OpenRegular(path, MaxBytes, out _);
        if (file is null)
        {
            return null;
        }

        using var reader = new StreamReader(file);
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string pair in reader.ReadToEnd().Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                values[parts[0]] = value;
            }
        }

        return values.TryGetValue("keeper", out int keeper) && values.TryGetValue("sshd", out int sshd) && values.TryGetValue("port", out int port)
               && values.TryGetValue("uid", out int uid) && values.TryGetValue("gid", out int gid)
            ? new SshDoorKeeperStatus(keeper, sshd, port, uid, gid)
            : null;
    }
}
