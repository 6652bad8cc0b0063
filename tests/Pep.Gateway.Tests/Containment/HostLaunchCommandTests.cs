using Pep.Gateway.Containment;

namespace Pep.Gateway.Tests.Containment;

/// <summary>The argument vector of a session host: the cgroup is joined before anything else runs.</summary>
public sealed class HostLaunchCommandTests
{
    [Fact]
    public void WithContainment_TheHostJoinsItsCgroupFirst_ThenLowersItsPriority_ThenExecsPwsh()
    {
        var command = new HostLaunchCommand("/opt/pwsh", "/run/pep/s.pssc", "/sys/fs/cgroup/unified/pep-x/s/cgroup.procs");

        Assert.Equal(
            ["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", "/sys/fs/cgroup/unified/pep-x/s/cgroup.procs",
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
}
