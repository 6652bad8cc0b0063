using System.Globalization;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Containment;

/// <summary>
/// The argument vector and environment that start a session host, in the order the steps must run, each exec'ing the
/// next in the same process (so the process id the gateway holds is the host's):
/// <list type="number">
/// <item>join the session's cgroup, still as the gateway's account (which owns the cgroup's <c>cgroup.procs</c>): a
/// fixed <c>/bin/sh</c> script writes its own id into it and only then execs the rest, so pwsh's first instruction
/// already runs inside, and a host that cannot join does not start (fail closed);</item>
/// <item>with separation, become the session's own account (<c>setpriv</c>): its user and group, the session group as
/// the only supplementary group (plus the groups the deployment grants an elevated support session, see
/// <see cref="HostAccount.SupportGroupIds"/>), no new privileges (setuid binaries and file capabilities gain
/// nothing), and empty inheritable and ambient capability sets, so the CAP_SETUID, CAP_SETGID and CAP_KILL the
/// gateway keeps do not survive the exec: the host's permitted and effective sets are empty. From here on the
/// process cannot write any cgroup's <c>cgroup.procs</c> (the gateway's account owns them), so it cannot leave its
/// session's cgroup;</item>
/// <item>lower the CPU priority (<c>nice -n 10</c>): logins, relaying and /health come first on a saturated machine;</item>
/// <item>pwsh in server mode with the session configuration.</item>
/// </list>
/// Nothing a client sends is part of it: the variable parts are paths the gateway made and ids of its accounts.
/// The bounding set is not cleared: that needs CAP_SETPCAP, which the gateway does not hold (verified: setpriv leaves
/// it unchanged), and with no capability permitted, inheritable or ambient and no new privileges it grants nothing.
/// </summary>
internal sealed record HostLaunchCommand(string PwshPath, string ConfigurationFile, string? CgroupProcsFile, HostAccount? Account = null)
{
    public const string Shell = "/bin/sh";
    public const string SetPriv = "/usr/bin/setpriv";
    public const string Nice = "/usr/bin/nice";

    /// <summary>"$0" is the cgroup.procs path; "$@" is the rest of the command. <c>$$</c> is the shell's own id, which exec keeps.</summary>
    private const string JoinCgroupScript = "echo $$ > \"$0\" && exec \"$@\"";

    /// <summary>The program to start and its arguments.</summary>
    public IReadOnlyList<string> Compose(bool niceAvailable)
    {
        var argv = new List<string>();
        if (CgroupProcsFile is not null)
        {
            argv.AddRange([Shell, "-c", JoinCgroupScript, CgroupProcsFile]);
        }

        if (Account is not null)
        {
            argv.AddRange([
                SetPriv,
                "--reuid", Number(Account.Account.Uid),
                "--regid", Number(Account.Account.Gid),
                "--groups", string.Join(',', new[] { Account.SessionGroupId }.Concat(Account.SupportGroupIds).Select(Number)),
                "--no-new-privs",
                "--inh-caps=-all",
                "--ambient-caps=-all",
                "--",
            ]);
        }

        if (niceAvailable)
        {
            argv.AddRange([Nice, "-n", "10"]);
        }

        argv.AddRange([PwshPath, "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", ConfigurationFile]);
        return argv;
    }

    /// <summary>The argument vector on this machine.</summary>
    public IReadOnlyList<string> Compose() => Compose(File.Exists(Nice));

    /// <summary>The variables the host gets besides its session's: no telemetry, and with separation a home of its own.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
            ["POWERSHELL_UPDATECHECK"] = "Off",
            ["POWERSHELL_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (Account is not null)
        {
            // pwsh writes its history, module analysis cache and .NET's own caches under these: the host's runtime
            // folder, which only it and the gateway may enter, never the gateway's home.
            string home = Account.RuntimeFolder;
            environment["HOME"] = home;
            environment["USER"] = Account.Account.Name;
            environment["LOGNAME"] = Account.Account.Name;
            environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
            environment["TMPDIR"] = Path.Combine(home, "tmp");
            environment["PSModuleAnalysisCachePath"] = Path.Combine(home, ".cache", "ModuleAnalysisCache");
            environment["DOTNET_CLI_HOME"] = home;
        }

        return environment;
    }

    private static string Number(int id) => id.ToString(CultureInfo.InvariantCulture);
}
