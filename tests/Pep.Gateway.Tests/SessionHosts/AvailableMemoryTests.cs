using Pep.Gateway.SessionHosts;


namespace Pep.Gateway.Tests.SessionHosts;

public sealed class AvailableMemoryTests
{
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
    public void ThisMachine_SaysHowMuchIsAvailable() => Assert.True(AvailableMemory.Read() > 0);
}
