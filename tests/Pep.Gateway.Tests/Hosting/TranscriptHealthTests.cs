using Microsoft.Extensions.Time.Testing;
using Pep.Gateway.Hosting;

namespace Pep.Gateway.Tests.Hosting;

public sealed class TranscriptHealthTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-health-").FullName;
    private readonly FakeTimeProvider _time = new();
    private int _probes;
    private bool _probeSucceeds = true;

    [Fact]
    public void ManyAnswersWithinTheInterval_CostOneWriteProbe()
    {
        TranscriptHealth health = Create();

        for (int i = 0; i < 100; i++)
        {
            Assert.True(health.IsWritable());
        }

        Assert.Equal(1, _probes);
    }

    [Fact]
    public void AfterTheInterval_TheNextAnswerProbesAgain_AndReportsWhatItFound()
    {
        TranscriptHealth health = Create();
        Assert.True(health.IsWritable());

        _probeSucceeds = false;
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.True(health.IsWritable());
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(health.IsWritable());
        Assert.Equal(2, _probes);
    }

    [Fact]
    public void DirectoryGone_IsReportedAtOnce_WithoutAProbe()
    {
        TranscriptHealth health = Create();
        Assert.True(health.IsWritable());

        Directory.Delete(_directory);

        Assert.False(health.IsWritable());
        Assert.Equal(1, _probes);
    }

    [Fact]
    public void NobodyAsking_NothingIsProbed()
    {
        _ = Create();
        _time.Advance(Interval * 100);

        Assert.Equal(0, _probes);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private TranscriptHealth Create() => new(_directory, Interval, _time, () =>
    {
        _probes++;
        return _probeSucceeds;
    });
}
