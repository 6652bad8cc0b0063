using Pep.Core.Ssh;

namespace Pep.Core.Tests.Ssh;

public sealed class ExtraUsersFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"pep-extrausers-{Guid.NewGuid():N}", "passwd");

    [Fact]
    public void AddMissing_AddsEachAccountOnce_AndKeepsTheLinesOfOtherDeployments()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        File.WriteAllText(_file, "someoneelse:x:999:994:PEP CloudAdmin:/:/bin/sh\n");

        Assert.Equal(2, ExtraUsersFile.AddMissing(["cloudadmin", "operator2"], 999, 994, _file));
        Assert.Equal(0, ExtraUsersFile.AddMissing(["cloudadmin", "someoneelse"], 999, 994, _file));

        Assert.Equal(
            ["someoneelse:x:999:994:PEP CloudAdmin:/:/bin/sh", "cloudadmin:x:999:994:PEP CloudAdmin:/:/bin/sh", "operator2:x:999:994:PEP CloudAdmin:/:/bin/sh"],
            File.ReadAllLines(_file));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
}
