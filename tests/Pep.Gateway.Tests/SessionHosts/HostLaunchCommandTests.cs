using Pep.Core.Identities;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Tests.SessionHosts;

public sealed class HostLaunchCommandTests
{
    private const string Pwsh = "/opt/pep/powershell/7.6.9/pwsh";
    private const string Configuration = "/var/lib/pep/instances/ERCS01/runtime/0d1e/session.pssc";
    private static readonly HostAccount Account = new(new PosixAccount("pep-session-007", 1007, 2007), 3000, "/var/lib/pep/instances/ERCS01/runtime/0d1e");

    [Fact]
    public void WithAnAccount_SetprivRunsPwshAsThatAccountWithNoNewPrivilegesAndNoCapabilities()
    {
        HostLaunchCommand command = HostLaunchCommand.Compose(Pwsh, Configuration, nice: true, Account);

        Assert.Equal(HostLaunchCommand.SetPriv, command.FileName);
        Assert.Equal(
            ["--reuid", "1007", "--regid", "2007", "--groups", "3000", "--no-new-privs", "--inh-caps=-all", "--ambient-caps=-all", "--",
             HostLaunchCommand.Nice, "-n", "10", Pwsh, "-NoLogo", "-NoProfile", "-s", "-ConfigurationFile", Configuration],
            command.Arguments);
    }

    [Fact]
    public void WithAnAccount_HomeCachesAndTemporaryFilesAreInTheHostsOwnRuntimeFolder()
    {
        HostLaunchCommand command = HostLaunchCommand.Compose(Pwsh, Configuration, nice: true, Account);

        foreach (string variable in new[] { "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "TMPDIR", "PSModuleAnalysisCachePath", "DOTNET_CLI_HOME" })
        {
            Assert.StartsWith(Account.RuntimeFolder, command.Environment[variable], StringComparison.Ordinal);
        }

        Assert.Equal("pep-session-007", command.Environment["USER"]);
    }

    [Fact]
    public void WithoutAnAccount_PwshRunsAsTheGatewaysOwnAccountWithTheGatewaysHome()
    {
        HostLaunchCommand command = HostLaunchCommand.Compose(Pwsh, Configuration, nice: true, account: null);

        Assert.Equal(HostLaunchCommand.Nice, command.FileName);
        Assert.DoesNotContain(HostLaunchCommand.SetPriv, command.Arguments);
        Assert.False(command.Environment.ContainsKey("HOME"));
    }

    [Fact]
    public void WithoutNice_PwshIsStartedDirectly()
    {
        Assert.Equal(Pwsh, HostLaunchCommand.Compose(Pwsh, Configuration, nice: false, account: null).FileName);
        IReadOnlyList<string> separated = HostLaunchCommand.Compose(Pwsh, Configuration, nice: false, Account).Arguments;
        Assert.Equal(Pwsh, separated[separated.ToList().IndexOf("--") + 1]);
    }

    [Fact]
    public void TelemetryAndUpdateChecksAreOff_WithOrWithoutAnAccount()
    {
        foreach (HostAccount? account in new[] { Account, null })
        {
            HostLaunchCommand command = HostLaunchCommand.Compose(Pwsh, Configuration, nice: true, account);
            Assert.Equal("1", command.Environment["POWERSHELL_TELEMETRY_OPTOUT"]);
            Assert.Equal("Off", command.Environment["POWERSHELL_UPDATECHECK"]);
        }
    }
}
