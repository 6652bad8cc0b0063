using Pep.Core.Deployment;
using Pep.Core.Identities;

namespace Pep.Core.Tests.Identities;

public sealed class StateReachabilityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-reach-").FullName;

    [Fact]
    public void AStateDirectoryBelowAFolderOthersCannotEnter_IsRefused_NamingThatFolder()
    {
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var layout = new StateLayout(Path.Combine(_folder, "state"));

        DeploymentException refused = Assert.Throws<DeploymentException>(() => StateOwnership.CheckReachable(layout));

        Assert.Contains($"'{_folder}' (mode 0700)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateDirectoryBelowFoldersOthersMayEnter_IsAccepted()
    {
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);

        Assert.Null(Record.Exception(() => StateOwnership.CheckReachable(new StateLayout(Path.Combine(_folder, "state")))));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
