using System.Globalization;
using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Platform;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep serve</c> started as root becomes the gateway's account before it reads a key or opens a socket: it execs
/// itself again through <c>setpriv</c> (same process id, same standard streams), keeping only CAP_SETUID and
/// CAP_SETGID, which it needs to start each session host as its session account, and CAP_KILL, which it needs to end
/// a host that runs as another user (a host that does not exit, a warm host the pool discards). The bounding set
/// holds only those three; no new privileges (no setuid binary or file capability gains anything); securebits noroot, locked, so that
/// even a switch to uid 0 gains no capability at the next exec. Chosen over a separate launcher process: no second
/// process and protocol to keep, and a host start costs one exec of setpriv more (measured in the README).
/// </summary>
internal static class PrivilegeDrop
{
    public const string SetPriv = "/usr/bin/setpriv";

    /// <summary>Does not return when the exec succeeds.</summary>
    public static IOException ExecAsGateway(ServiceAccounts accounts, StateLayout layout, string instance)
    {
        IReadOnlyList<string> own = PosixExec.OwnCommandLine();
        string[] argv =
        [
            SetPriv,
            "--reuid", accounts.Gateway.Uid.ToString(CultureInfo.InvariantCulture),
            "--regid", accounts.Gateway.Gid.ToString(CultureInfo.InvariantCulture),
            "--init-groups",
            "--no-new-privs",
            "--securebits=+noroot,+noroot_locked",
            "--inh-caps=-all,+setuid,+setgid,+kill",
            "--ambient-caps=-all,+setuid,+setgid,+kill",
            "--bounding-set=-all,+setuid,+setgid,+kill",
            "--",
            PosixExec.OwnExecutable(),
            .. own.Skip(1),
        ];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        }

        // root's home is not the gateway's: .NET's own caches go to the instance's private folder.
        environment["HOME"] = layout.InstanceDirectory(instance);
        environment["USER"] = accounts.Gateway.Name;
        environment["LOGNAME"] = accounts.Gateway.Name;
        return PosixExec.Exec(SetPriv, argv, environment);
    }
}
