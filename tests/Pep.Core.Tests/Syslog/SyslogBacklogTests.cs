using Pep.Core.Syslog;

namespace Pep.Core.Tests.Syslog;

public sealed class SyslogBacklogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pep-syslog-backlog-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Messages_ComeOutOldestFirst_AndStayUntilRemoved()
    {
        var backlog = new SyslogBacklog(_folder, 10);
        backlog.Enqueue("one");
        backlog.Enqueue("two");

        Assert.True(backlog.TryPeek(out string first));
        Assert.True(backlog.TryPeek(out string again));
        backlog.RemoveOldest();
        Assert.True(backlog.TryPeek(out string second));
        backlog.RemoveOldest();

        Assert.Equal(("one", "one", "two"), (first, again, second));
        Assert.False(backlog.TryPeek(out _));
        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void Messages_SurviveARestart_InOrder_AndNewOnesFollowThem()
    {
        var before = new SyslogBacklog(_folder, 10);
        before.Enqueue("one");
        before.Enqueue("two");

        var after = new SyslogBacklog(_folder, 10);
        after.Enqueue("three");

        Assert.Equal(["one", "two", "three"], Drain(after));
    }

    [Fact]
    public void AFullBacklog_DropsTheOldest_AndCountsThem_AcrossARestart()
    {
        var backlog = new SyslogBacklog(_folder, 3);
        foreach (string message in new[] { "1", "2", "3", "4", "5" })
        {
            backlog.Enqueue(message);
        }

        var reopened = new SyslogBacklog(_folder, 3);

        Assert.Equal(2, reopened.Lost);
        Assert.Equal(["3", "4", "5"], Drain(reopened));
        reopened.ClearLost();
        Assert.Equal(0, new SyslogBacklog(_folder, 3).Lost);
    }

    [Fact]
    public void Files_AreReadableByTheGatewayAlone()
    {
        var backlog = new SyslogBacklog(_folder, 3);
        backlog.Enqueue("secretless but private");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        Assert.All(Directory.GetFiles(_folder), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static List<string> Drain(SyslogBacklog backlog)
    {
        var messages = new List<string>();
        while (backlog.TryPeek(out string message))
        {
            messages.Add(message);
            backlog.RemoveOldest();
        }

        return messages;
    }
}
