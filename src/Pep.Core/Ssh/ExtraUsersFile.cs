using Pep.Core.Accounts;
using Pep.Core.Platform;

namespace Pep.Core.Ssh;

/// <summary>
/// Makes CloudAdmin accounts exist for sshd, which looks every user up (getpwnam) before it authenticates anyone,
/// without adding them to /etc/passwd: libnss-extrausers reads <c>/var/lib/extrausers/passwd</c>. Every account
/// maps to the one unprivileged account sessions run as under sshd (<see cref="SessionAccount"/>), with home
/// <c>/</c> and the shell sshd runs the forced command with; no password is stored (authentication is PAM's,
/// through the gateway). The file is the machine's, shared by every deployment on it: lines are only added, never
/// removed or changed, so that one deployment never takes another's names away; a name left by a removed account
/// is harmless, since only the gateway decides who logs in.
/// </summary>
public static class ExtraUsersFile
{
    /// <summary>The unprivileged system account SSH sessions run as (the subsystem relay only).</summary>
    public const string SessionAccount = "pep-ssh";

    public const string PasswdPath = "/var/lib/extrausers/passwd";

    /// <summary>sshd runs the forced command as <c>shell -c command</c>; the command is ours, never the client's.</summary>
    public const string Shell = "/bin/sh";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <summary>Adds a line for each account the file lacks; returns how many were added.</summary>
    public static int AddMissing(IEnumerable<string> users, int uid, int gid, string path = PasswdPath)
    {
        ArgumentNullException.ThrowIfNull(users);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using FileLock held = FileLock.Acquire(path + ".lock", LockWait, CancellationToken.None);
        List<string> lines = File.Exists(path) ? [.. File.ReadAllLines(path).Where(line => line.Length > 0)] : [];
        var present = new HashSet<string>(lines.Select(line => line.Split(':')[0]), StringComparer.Ordinal);
        int added = 0;
        foreach (string user in users.Where(name => present.Add(name)))
        {
            lines.Add(Line(user, uid, gid));
            added++;
        }

        if (added > 0)
        {
            AtomicFile.WriteAllLines(path, lines);
        }

        return added;
    }

    /// <summary>One passwd line; account names are lower-case letters, digits, '.', '-' and '_' (<see cref="AccountName"/>), so none can break the format.</summary>
    public static string Line(string user, int uid, int gid) => $"{user}:x:{uid}:{gid}:PEP CloudAdmin:/:{Shell}";
}
