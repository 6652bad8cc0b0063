using Microsoft.Extensions.Logging;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Tests.Admission;

public sealed class RefusalLogTests
{
    [Fact]
    public void AFloodOfRefusals_IsWrittenAsOneLinePerSourceWithItsCounts()
    {
        var lines = new LineLogger();
        var log = new RefusalLog { Logger = lines };
        for (int i = 0; i < 1000; i++)
        {
            log.Record("10.0.0.66", ConnectionRefusal.SourceConnectionLimit);
        }

        log.Record("10.0.0.66", "SourceBlocked");
        log.Record("10.0.0.67", ConnectionRefusal.SourceConnectionRate);

        log.Flush(TimeSpan.FromSeconds(10));

        Assert.Equal(
            ["Refused 1001 connections or logins from 10.0.0.66 in the last 10 s: SourceBlocked 1, SourceConnectionLimit 1000",
             "Refused 1 connections or logins from 10.0.0.67 in the last 10 s: SourceConnectionRate 1"],
            lines.Lines);
        log.Flush(TimeSpan.FromSeconds(10));
        Assert.Equal(2, lines.Lines.Count);
    }

    [Fact]
    public void SourcesBeyondTheLimit_AreCountedTogether()
    {
        var lines = new LineLogger();
        var log = new RefusalLog { Logger = lines };
        for (int i = 0; i < RefusalLog.MaxSources + 50; i++)
        {
            log.Record($"10.1.{i / 256}.{i % 256}", ConnectionRefusal.PreAuthCapacity);
        }

        log.Flush(TimeSpan.FromSeconds(10));

        Assert.Equal(RefusalLog.MaxSources + 1, lines.Lines.Count);
        Assert.Contains("Refused 50 connections or logins from other sources in the last 10 s: PreAuthCapacity 50", lines.Lines);
    }

    private sealed class LineLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Add(formatter(state, exception));
    }
}
