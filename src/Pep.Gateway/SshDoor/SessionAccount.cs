using System.Diagnostics;
using System.Globalization;
using Pep.Core.Ssh;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// The unprivileged system account (<see cref="ExtraUsersFile.SessionAccount"/>) every CloudAdmin account maps to
/// under sshd: it runs only the subsystem relay, which can do nothing but reach the gateway's session socket. Made
/// with useradd (no home, no login shell of its own) the first time a door starts on the machine.
/// </summary>
internal sealed record SessionAccount(int Uid, int Gid)
{
    public static SessionAccount Ensure()
    {
        if (Find() is { } found)
        {
            return found;
        }

        using Process? useradd = Process.Start(new ProcessStartInfo("/usr/sbin/useradd")
        {
            ArgumentList = { "--system", "--no-create-home", "--home-dir", "/", "--shell", "/usr/sbin/nologin", ExtraUsersFile.SessionAccount },
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        useradd?.WaitForExit(30_000);
        return Find() ?? throw new InvalidOperationException($"The system account '{ExtraUsersFile.SessionAccount}' could not be made (useradd {useradd?.ExitCode}).");
    }

    private static SessionAccount? Find()
    {
        foreach (string line in File.ReadLines("/etc/passwd"))
        {
            string[] fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == ExtraUsersFile.SessionAccount)
            {
                return new SessionAccount(int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
            }
        }

        return null;
    }
}
