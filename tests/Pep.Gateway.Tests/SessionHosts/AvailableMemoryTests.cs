using Pep.Gateway.SessionHosts;


namespace Pep.Gateway.Tests.SessionHosts;

public sealed class AvailableMemoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-meminfo-").FullName;

    [Theory]
    [InlineData("MemAvailable:   23808000 kB", 23808000L * 1024)]
    [InlineData("MemAvailable: 0 kB", 0L)]
    public void ParsesTheKernelsLine(string line, long bytes) => Assert.Equal(bytes, AvailableMemory.Parse(line));

    [Theory]
    [InlineData("MemAvailable:   23808000")]
    [InlineData("MemAvailable:   -5 kB")]
    [InlineData("MemAvailable:   lots kB")]
    public void AnythingElse_IsUnknown(string line) => Assert.Null(AvailableMemory.Parse(line));

    [Fact]
    public void Read_TakesMemAvailable_NotTheOtherFigures()
    {
        string meminfo = Meminfo("MemTotal:       32768000 kB", "MemFree:         1000000 kB", "MemAvailable:   23808000 kB", "Buffers:          500000 kB");

        Assert.Equal(23808000L * 1024, AvailableMemory.Read(meminfo));
    }

    [Fact]
    public void Read_OfAKernelThatDoesNotSay_IsUnknown()
    {
        string meminfo = Meminfo("MemTotal:       32768000 kB", "MemFree:         1000000 kB");

        Assert.Null(AvailableMemory.Read(meminfo));
        Assert.Null(AvailableMemory.Read(meminfo + ".missing"));
    }

    private string Meminfo(params string[] lines)
    {
        string path = Path.Combine(_folder, "meminfo");
        File.WriteAllLines(path, lines);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
