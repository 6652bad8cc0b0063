using Pep.Core.Identities;
using Pep.Gateway.Containment;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Tests.Containment;

/// <summary>
/// The argument vector of a session host: the cgroup is joined first, while the gateway's account still owns the
/// right to write its <c>cgroup.procs</c>; only then does the host become its session account, lower its priority and exec pwsh.
/// </summary>
public sealed class HostLaunchCommandTests
{
    private const string Pwsh = "/opt/pep/powershell/7.6.9/pwsh";
    private const string Configuration = "/var/lib/pep/instances/ERCS01/runtime/0d1e/session.pssc";
    private const string Procs = "/sys/fs/cgroup/unified/pep-x/s/cgroup.procs";
    private static readonly HostAccount Account = new(new PosixAccount("pep-session-007", 1007, 2007), 3000, "/var/lib/pep/instances/ERCS01/runtime/0d1e", []);

    [Fact]
    public void WithContainment_TheHostJoinsItsCgroupFirst_ThenLowersItsPriority_ThenExecsPwsh()
    {
        var command = new HostLaunchCommand("/opt/pwsh", "/run/pep/s.pssc", Procs);

        Assert.Equal(
            ["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", Procs,
             "/usr/bin/nice", "-n", "10",
             "/opt/pwsh", "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", "/run/pep/s.pssc"],
            command.Compose(niceAvailable: true));
    }

    [Fact]
    public void WithoutContainment_PwshIsStartedWithoutTheCgroupStep()
    {
        var command = new HostLaunchCommand("/opt/pwsh", "/run/pep/s.pssc", CgroupProcsFile: null);

        Assert.Equal(["/opt/pwsh", "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", "/run/pep/s.pssc"], command.Compose(niceAvailable: false));
    }

    [Fact]
    public void WithContainmentAndAnAccount_TheCgroupIsJoinedBeforeSetprivDropsToTheAccountWithNoNewPrivilegesAndNoCapabilities()
    {
        var command = new HostLaunchCommand(Pwsh, Configuration, Procs, Account);

        Assert.Equal(
            ["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", Procs,
             HostLaunchCommand.SetPriv, "--reuid", "1007", "--regid", "2007", "--groups", "3000", "--no-new-privs", "--inh-caps=-all", "--ambient-caps=-all", "--",
             HostLaunchCommand.Nice, "-n", "10",
             Pwsh, "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", Configuration],
            command.Compose(niceAvailable: true));
    }

    [Fact]
    public void WithoutContainment_AnAccountStillStartsWithSetpriv()
    {
        IReadOnlyList<string> argv = new HostLaunchCommand(Pwsh, Configuration, CgroupProcsFile: null, Account).Compose(niceAvailable: false);

        Assert.Equal(HostLaunchCommand.SetPriv, argv[0]);
        Assert.Equal(Pwsh, argv[argv.ToList().IndexOf("--") + 1]);
    }

    [Fact]
    public void SupportGroupsTheDeploymentGrants_FollowTheSessionGroup()
    {
        HostAccount elevated = Account with { SupportGroupIds = [4, 190] };

        IReadOnlyList<string> argv = new HostLaunchCommand(Pwsh, Configuration, Procs, elevated).Compose(niceAvailable: true);

        Assert.Equal("3000,4,190", argv[argv.ToList().IndexOf("--groups") + 1]);
    }

    [Fact]
    public void WithAnAccount_HomeCachesAndTemporaryFilesAreInTheHostsOwnRuntimeFolder()
    {
        IReadOnlyDictionary<string, string> environment = new HostLaunchCommand(Pwsh, Configuration, Procs, Account).Environment();

        foreach (string variable in new[] { "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "TMPDIR", "PSModuleAnalysisCachePath", "DOTNET_CLI_HOME" })
        {
            Assert.StartsWith(Account.RuntimeFolder, environment[variable], StringComparison.Ordinal);
        }

        Assert.Equal("pep-session-007", environment["USER"]);
    }

    [Fact]
    public void WithoutAnAccount_PwshRunsAsTheGatewaysOwnAccountWithTheGatewaysHome()
    {
        var command = new HostLaunchCommand(Pwsh, Configuration, Procs);

        Assert.DoesNotContain(HostLaunchCommand.SetPriv, command.Compose(niceAvailable: true));
        Assert.False(command.Environment().ContainsKey("HOME"));
    }

    [Fact]
    public void TelemetryAndUpdateChecksAreOff_WithOrWithoutAnAccount()
    {
        foreach (HostAccount? account in new[] { Account, null })
        {
            IReadOnlyDictionary<string, string> environment = new HostLaunchCommand(Pwsh, Configuration, Procs, account).Environment();
            Assert.Equal("1", environment["POWERSHELL_TELEMETRY_OPTOUT"]);
            Assert.Equal("Off", environment["POWERSHELL_UPDATECHECK"]);
        }
    }
}
