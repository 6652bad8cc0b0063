namespace Pep.Gateway.Containment;

/// <summary>
/// The argument vector that starts a session host, in the order the steps must run, each exec'ing the next in the
/// same process (so the process id the gateway holds is the host's):
/// <list type="number">
/// <item>join the session's cgroup: a fixed <c>/bin/sh</c> script writes its own id into the cgroup's
/// <c>cgroup.procs</c> and only then execs the rest, so pwsh's first instruction already runs inside, and a host
/// that cannot join does not start (fail closed);</item>
/// <item>lower the CPU priority (<c>nice -n 10</c>): logins, relaying and /health come first on a saturated machine;</item>
/// <item>pwsh in server mode with the session configuration.</item>
/// </list>
/// Nothing a client sends is part of it: the variable parts are paths the gateway made.
/// </summary>
internal sealed record HostLaunchCommand(string PwshPath, string ConfigurationFile, string? CgroupProcsFile)
{
    private const string Shell = "/bin/sh";
    private const string Nice = "/usr/bin/nice";

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

        if (niceAvailable)
        {
            argv.AddRange([Nice, "-n", "10"]);
        }

        argv.AddRange([PwshPath, "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", ConfigurationFile]);
        return argv;
    }

    /// <summary>The argument vector on this machine.</summary>
    public IReadOnlyList<string> Compose() => Compose(File.Exists(Nice));
}
