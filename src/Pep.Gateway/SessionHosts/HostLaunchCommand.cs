namespace Pep.Gateway.SessionHosts;

/// <summary>
/// The program, arguments and environment a session host starts with, composed in one place (pure: unit-tested).
/// <list type="bullet">
/// <item><c>setpriv</c> (with separation): the host's own session account, its group, the session group as the only
/// supplementary group, no new privileges (setuid binaries and file capabilities gain nothing), and empty inheritable
/// and ambient capability sets, so the CAP_SETUID, CAP_SETGID and CAP_KILL the gateway keeps to start and end it do not survive the exec of
/// pwsh: its permitted and effective sets are empty. setpriv execs in place.</item>
/// <item><c>nice -n 10</c>: hosts run below the gateway, so logins, relaying and health stay responsive.</item>
/// <item>pwsh in server mode with the session's configuration.</item>
/// </list>
/// The bounding set is not cleared: that needs CAP_SETPCAP, which the gateway does not hold (verified: setpriv
/// leaves it unchanged), and with no capability permitted, inheritable or ambient and no new privileges it grants
/// nothing.
/// </summary>
internal sealed record HostLaunchCommand(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public const string SetPriv = "/usr/bin/setpriv";

    public const string Nice = "/usr/bin/nice";

    /// <param name="pwshPath">The pwsh that hosts sessions.</param>
    /// <param name="configurationFile">The session configuration (a path the gateway generated).</param>
    /// <param name="nice">Whether <see cref="Nice"/> is there to lower the host's priority.</param>
    /// <param name="account">The account to run as; null runs the host as the gateway's own account (no separation).</param>
    public static HostLaunchCommand Compose(string pwshPath, string configurationFile, bool nice, HostAccount? account)
    {
        var argv = new List<string>();
        if (account is not null)
        {
            argv.AddRange([
                SetPriv,
                "--reuid", Number(account.Account.Uid),
                "--regid", Number(account.Account.Gid),
                "--groups", Number(account.SessionGroupId),
                "--no-new-privs",
                "--inh-caps=-all",
                "--ambient-caps=-all",
                "--",
            ]);
        }

        if (nice)
        {
            argv.AddRange([Nice, "-n", "10"]);
        }

        argv.AddRange([pwshPath, "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", configurationFile]);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
            ["POWERSHELL_UPDATECHECK"] = "Off",
            ["POWERSHELL_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (account is not null)
        {
            // pwsh writes its history, module analysis cache and .NET's own caches under these: the host's runtime
            // folder, which only it and the gateway may enter, never the gateway's home.
            string home = account.RuntimeFolder;
            environment["HOME"] = home;
            environment["USER"] = account.Account.Name;
            environment["LOGNAME"] = account.Account.Name;
            environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
            environment["TMPDIR"] = Path.Combine(home, "tmp");
            environment["PSModuleAnalysisCachePath"] = Path.Combine(home, ".cache", "ModuleAnalysisCache");
            environment["DOTNET_CLI_HOME"] = home;
        }

        return new HostLaunchCommand(argv[0], argv.Skip(1).ToList(), environment);
    }

    private static string Number(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
