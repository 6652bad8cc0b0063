using Microsoft.Extensions.Logging.Abstractions;
using Pep.Core.Transcripts;
using Pep.Gateway.Recording;

namespace Pep.Gateway.Tests.Recording;

/// <summary>The record the gateway writes from the lines it relays: complete when it can be, honest when it cannot.</summary>
public sealed class SessionRecorderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pep-record-{Guid.NewGuid():N}.log");

    private static string[] Stream(string name) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Recording", "Streams", name));

    private List<GatewayRecordLine> Lines() => [.. File.ReadAllLines(_path).Select(l => GatewayRecordLine.TryParse(l) ?? throw new InvalidDataException($"not a record line: {l}"))];

    [Fact]
    public async Task ARelayedSession_IsRecordedLineByLine_WithPipelinesAndWhatCameBack()
    {
        await using (var recorder = new SessionRecorder(_path, Guid.NewGuid(), TimeProvider.System, NullLogger.Instance))
        {
            foreach (string line in Stream("client-to-host.psrp"))
            {
                recorder.Observe(RelayDirection.ClientToHost, line);
            }

            foreach (string line in Stream("host-to-client.psrp"))
            {
                recorder.Observe(RelayDirection.HostToClient, line);
            }

            await recorder.CompleteAsync(TimeSpan.FromSeconds(30));
        }

        List<GatewayRecordLine> record = Lines();
        GatewayRecordLine pipeline = Assert.Single(record, l => l.Kind == GatewayRecordLine.PipelineKind && l.Text.StartsWith("Get-Command", StringComparison.Ordinal));
        Assert.Contains(record, l => l.Kind == "Output" && l.Text == "Get-Date" && l.Pipeline == pipeline.Pipeline);
        Assert.Contains(record, l => l.Kind == "Output" && l.Text.Contains("(summarised: 100000 characters", StringComparison.Ordinal));
        Assert.DoesNotContain(record, l => l.Kind == GatewayRecordLine.LostKind);
        Assert.Equal("the gateway's record ends", record[^1].Text);
    }

    [Fact]
    public async Task WhatTheQueueCannotHold_IsDroppedWithoutWaiting_AndTheRecordSaysWhatItLost()
    {
        string[] lines = Stream("host-to-client.psrp");
        string large = Array.Find(lines, l => l.Length > 30_000)!;
        await using (var recorder = new SessionRecorder(_path, Guid.NewGuid(), TimeProvider.System, NullLogger.Instance, maxQueuedChars: 20_000))
        {
            recorder.Observe(RelayDirection.HostToClient, large);
            await recorder.CompleteAsync(TimeSpan.FromSeconds(30));
        }

        GatewayRecordLine lost = Assert.Single(Lines(), l => l.Kind == GatewayRecordLine.LostKind);
        Assert.Contains($"1 relayed packets ({large.Length} characters)", lost.Text, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_path);
}
