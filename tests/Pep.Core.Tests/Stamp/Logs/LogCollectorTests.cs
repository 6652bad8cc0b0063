using System.IO.Compression;
using Pep.Core.Stamp.Logs;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Stamp.Logs;

public sealed class LogCollectorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-logs-").FullName;

    private sealed class NoProgress : IProgress<LogProgress>
    {
        public void Report(LogProgress value) { }
    }

    [Fact]
    public async Task Collect_TakesTheMatchingFilesOfTheWindow_OneArchivePerRole()
    {
        string logs = Directory.CreateDirectory(Path.Combine(_folder, "logs")).FullName;
        string output = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;
        DateTime now = DateTime.UtcNow;
        File.WriteAllText(Path.Combine(logs, "current.log"), "current\n");
        File.WriteAllText(Path.Combine(logs, "old.log"), "old\n");
        File.SetLastWriteTimeUtc(Path.Combine(logs, "old.log"), now.AddDays(-2));
        File.WriteAllText(Path.Combine(logs, "notes.txt"), "not a log\n");
        var role = new StampRole { Name = "Storage", Logs = [new LogSource { Path = logs, Pattern = "*.log", Node = "N1" }] };
        var request = new LogCollectionRequest([role], null, LogWindow.Resolve(null, null, DateTimeOffset.UtcNow), output, TimeSpan.FromMinutes(1));

        IReadOnlyList<LogArchiveResult> results = await LogCollector.RunAsync(request, "N1", new NoProgress(), TimeProvider.System, CancellationToken.None);

        LogArchiveResult storage = Assert.Single(results);
        Assert.True(storage.Complete);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(output, "Storage.zip"));
        ZipArchiveEntry entry = Assert.Single(zip.Entries);
        Assert.Equal("N1" + Path.Combine(logs, "current.log"), entry.FullName);
        using var reader = new StreamReader(entry.Open());
        Assert.Equal("current\n", await reader.ReadToEndAsync());
        string outputLog = await File.ReadAllTextAsync(Path.Combine(output, "Get-AzureStackLog_Output.log"));
        Assert.Contains("Storage: 1 files, 8 bytes", outputLog, StringComparison.Ordinal);
    }

    /// <summary>
    /// A log its role keeps writing: the archive holds exactly the bytes the file had when the archiver opened it.
    /// The file grows at the archiver's first read of it, long before a 16 MiB copy can reach the end (and the
    /// test checks that the archiver had not closed the file yet, so the growth really came mid-copy).
    /// </summary>
    [Fact]
    public async Task Collect_AFileBeingWritten_CopiesTheLengthSeenAtOpen()
    {
        string logs = Directory.CreateDirectory(Path.Combine(_folder, "live")).FullName;
        string output = Directory.CreateDirectory(Path.Combine(_folder, "out2")).FullName;
        string path = Path.Combine(logs, "live.log");
        byte[] written = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 16 * 1024 * 1024 / 16).Select(i => $"line {i:D10}\n")));
        byte[] growth = System.Text.Encoding.ASCII.GetBytes("written while the archiver was copying\n");
        await using var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        writer.Write(written);
        writer.Flush();
        using var watch = new FileAccessWatch(path);
        Task<bool> grewMidCopy = Task.Run(() =>
        {
            if (!watch.WaitForRead(TimeSpan.FromSeconds(60)))
            {
                return false;
            }

            writer.Write(growth);
            writer.Flush();
            return !watch.ClosedByAReader;
        });

        LogArchiveResult result = await LogArchiver.ArchiveAsync("Live", [new LogFile(path, "N1" + path, 0)], Path.Combine(output, "Live.zip"), new NoProgress(), CancellationToken.None);

        Assert.True(await grewMidCopy, "The file did not grow while the archiver was reading it.");
        Assert.Equal(written.Length + growth.Length, new FileInfo(path).Length);
        Assert.True(result.Complete);
        Assert.Equal(written.Length, result.Bytes);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(output, "Live.zip"));
        using var copy = new MemoryStream();
        using (Stream entry = Assert.Single(zip.Entries).Open())
        {
            await entry.CopyToAsync(copy);
        }

        Assert.True(written.AsSpan().SequenceEqual(copy.ToArray()), $"The archive holds {copy.Length} bytes, not the {written.Length} the file had at open.");
    }

    [Fact]
    public async Task Collect_WhenTimedOut_SaysWhatIsMissing()
    {
        string logs = Directory.CreateDirectory(Path.Combine(_folder, "many")).FullName;
        string output = Directory.CreateDirectory(Path.Combine(_folder, "out3")).FullName;
        File.WriteAllText(Path.Combine(logs, "a.log"), "a");
        var role = new StampRole { Name = "Many", Logs = [new LogSource { Path = logs }] };
        var request = new LogCollectionRequest([role], null, LogWindow.Resolve(null, null, DateTimeOffset.UtcNow), output, TimeSpan.Zero);

        IReadOnlyList<LogArchiveResult> results = await LogCollector.RunAsync(request, "N1", new NoProgress(), TimeProvider.System, CancellationToken.None);

        Assert.False(results[0].Complete);
        Assert.Contains(results[0].Missing, m => m.Contains("a.log", StringComparison.Ordinal));
        Assert.Contains("Timed out", await File.ReadAllTextAsync(Path.Combine(output, "Get-AzureStackLog_Output.log")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "a.log.1", false)]
    [InlineData("app-?.txt", "app-1.txt", true)]
    [InlineData("app-?.txt", "app-10.txt", false)]
    [InlineData("a+b(1).log", "a+b(1).log", true)]
    public void Glob_MatchesFileNames(string glob, string name, bool expected)
    {
        Assert.Equal(expected, LogFileMatcher.GlobToRegex(glob).IsMatch(name));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
