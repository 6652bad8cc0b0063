using Pep.Core.Ssh;

namespace Pep.Core.Tests.Ssh;

/// <summary>What the SSH door's keeper (root) reads from its gateway, and what it tells it.</summary>
public sealed class SshDoorKeeperFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-keeper-").FullName;

    [Fact]
    public void TheAccountNames_AreTakenOnlyWhenTheyArePlainAccountNames()
    {
        string file = Path.Combine(_folder, "accounts");
        File.WriteAllLines(file, ["cloudadmin", "operator.2", "root:x:0:0:root:/root:/bin/bash", @"AZURESTACK\other", "Upper", "", "-dash", "ok_3"]);

        IReadOnlyList<string>? names = SshDoorAccountNames.Read(file, out string? refusal);

        Assert.Null(refusal);
        Assert.Equal(["cloudadmin", "operator.2", "ok_3"], names);
    }

    [Fact]
    public void AnAccountNamesFile_ThatIsALink_IsNotFollowed()
    {
        string target = Path.Combine(_folder, "elsewhere");
        File.WriteAllText(target, "cloudadmin\n");
        string file = Path.Combine(_folder, "accounts");
        File.CreateSymbolicLink(file, target);

        Assert.Null(SshDoorAccountNames.Read(file, out string? refusal));
        Assert.Contains("symbolic link", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NoAccountNamesFileYet_IsNoName()
        => Assert.Empty(SshDoorAccountNames.Read(Path.Combine(_folder, "accounts"), out _)!);

    [Fact]
    public void TheKeepersStatus_ReadsBackAsWritten_AndAnythingElseIsNoStatus()
    {
        string file = Path.Combine(_folder, "door.keeper");
        var status = new SshDoorKeeperStatus(4100, 4200, 4422, 998, 997);
        status.Write(file);
        Assert.Equal(status, SshDoorKeeperStatus.Read(file));

        File.WriteAllText(file, "keeper=4100 sshd=4200 port=-1 uid=998 gid=997\n");
        Assert.Null(SshDoorKeeperStatus.Read(file));
        File.WriteAllText(file, "keeper=4100 sshd=4200\n");
        Assert.Null(SshDoorKeeperStatus.Read(file));
        Assert.Null(SshDoorKeeperStatus.Read(Path.Combine(_folder, "missing")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
