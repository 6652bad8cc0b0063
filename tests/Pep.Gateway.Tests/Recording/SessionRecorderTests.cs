using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Transcripts;
using Pep.Gateway.Recording;

namespace Pep.Gateway.Tests.Recording;

/// <summary>The record the gateway writes from the lines it relays: complete when it can be, honest when it cannot.</summary>
public sealed class SessionRecorderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-record-").FullName;

    private string _path => Path.Combine(_folder, GatewaySessionFolder.RecordFile);

    private string SpoolPath => Path.Combine(_folder, RecordSpool.FileName);

    /// <summary>Waits (bounded) for a condition the recorder's own task makes true; synchronisation, not a timed assertion.</summary>
    private static async Task Until(Func<bool> condition, Action? meanwhile = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the recorder did not get there");
            meanwhile?.Invoke();
            await Task.Delay(10);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void ObserveWholeSession(SessionRecorder recorder)
    {
        foreach (string line in Stream("client-to-host.psrp"))
        {
            recorder.Observe(RelayDirection.ClientToHost, line);
        }

        foreach (string line in Stream("host-to-client.psrp"))
        {
            recorder.Observe(RelayDirection.HostToClient, line);
        }
    }

    private static void AssertWholeSessionDecoded(List<GatewayRecordLine> record)
    {
        GatewayRecordLine pipeline = Assert.Single(record, l => l.Kind == GatewayRecordLine.PipelineKind && l.Text.StartsWith("Get-Command", StringComparison.Ordinal));
        Assert.Contains(record, l => l.Kind == "Output" && l.Text == "Get-Date" && l.Pipeline == pipeline.Pipeline);
        Assert.Contains(record, l => l.Kind == "Output" && l.Text.Contains("(summarised: 100000 characters", StringComparison.Ordinal));
    }

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
        AssertWholeSessionDecoded(record);
        Assert.False(File.Exists(SpoolPath), "a finished record leaves no spool");
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

    [Fact]
    public async Task WhileASessionKeepsRelaying_NothingIsDecoded_AndOnceItIsQuietEverythingIs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] fromClient = Stream("client-to-host.psrp");
        string[] fromHost = Stream("host-to-client.psrp");
        static int Packets(IEnumerable<string> lines) => lines.Count(l => l.StartsWith("<Data ", StringComparison.Ordinal));
        await using var recorder = new SessionRecorder(_path, Guid.NewGuid(), time, NullLogger.Instance);

        // The client's half, then the host's: the spool holds both, raw (a decoding in between would have emptied it),
        // and the record only its first line.
        foreach (string line in fromClient)
        {
            recorder.Observe(RelayDirection.ClientToHost, line);
        }

        await Until(() => File.Exists(SpoolPath) && ReadShared(SpoolPath).Count(c => c == '\n') == Packets(fromClient));
        foreach (string line in fromHost)
        {
            recorder.Observe(RelayDirection.HostToClient, line);
        }

        await Until(() => ReadShared(SpoolPath).Count(c => c == '\n') == Packets(fromClient) + Packets(fromHost));
        Assert.Single(ReadShared(_path).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // The session falls quiet: the record is decoded and the spool emptied, with no end of the session.
        await Until(() => ReadShared(_path).Contains("Get-Command", StringComparison.Ordinal), () => time.Advance(SessionRecorder.QuietBeforeDecoding));
        await Until(() => new FileInfo(SpoolPath).Length == 0);
        AssertWholeSessionDecoded(Lines());
    }

    [Fact]
    public async Task ACatchUp_DecodesEverythingRelayedSoFar_WithoutWaitingForQuiet()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var recorder = new SessionRecorder(_path, Guid.NewGuid(), time, NullLogger.Instance);
        ObserveWholeSession(recorder);

        Assert.True(recorder.CatchUp(TimeSpan.FromSeconds(60)));

        AssertWholeSessionDecoded(Lines());
        Assert.Equal(0, new FileInfo(SpoolPath).Length);
    }

    [Fact]
    public async Task ASpoolAKilledGatewayLeft_IsDecodedIntoTheRecord_AndRemoved()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var recorder = new SessionRecorder(_path, Guid.NewGuid(), time, NullLogger.Instance))
        {
            ObserveWholeSession(recorder);
            await Until(() => File.Exists(SpoolPath) && ReadShared(SpoolPath).Contains("</Data>", StringComparison.Ordinal)
                && ReadShared(SpoolPath).Count(c => c == '\n') == Stream("client-to-host.psrp").Concat(Stream("host-to-client.psrp")).Count(l => l.StartsWith("<Data ", StringComparison.Ordinal)));

            // What a killed gateway leaves: the spool as it stands (copied before this recorder finishes and removes it).
            File.Copy(SpoolPath, SpoolPath + ".left", overwrite: true);
        }

        File.WriteAllText(_path, "");
        File.Move(SpoolPath + ".left", SpoolPath);

        SessionRecorder.RecoverSpool(_folder, time);

        List<GatewayRecordLine> record = Lines();
        AssertWholeSessionDecoded(record);
        Assert.Equal("the gateway's record ends", record[^1].Text);
        Assert.False(File.Exists(SpoolPath));
    }

    [Fact]
    public async Task TheLegalNoticeHandedToTheClient_IsRecordedBeforeWhatTheSessionRelays_AlsoFromAKilledGatewaysSpool()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var recorder = new SessionRecorder(_path, Guid.NewGuid(), time, NullLogger.Instance))
        {
            recorder.NoteLegalNotice("Authorised use only", "Line one\nLine two");
            ObserveWholeSession(recorder);
            await Until(() => File.Exists(SpoolPath) && ReadShared(SpoolPath).Contains(" N ", StringComparison.Ordinal));
            File.Copy(SpoolPath, SpoolPath + ".left", overwrite: true);
            await recorder.CompleteAsync(TimeSpan.FromSeconds(30));
        }

        List<GatewayRecordLine> record = Lines();
        GatewayRecordLine notice = Assert.Single(record, l => l.Kind == GatewayRecordLine.NoticeKind);
        Assert.Contains("Authorised use only | Line one | Line two", notice.Text, StringComparison.Ordinal);
        Assert.True(record.IndexOf(notice) < record.FindIndex(l => l.Kind == GatewayRecordLine.PipelineKind), "the notice comes before the session's first pipeline");

        File.WriteAllText(_path, "");
        File.Move(SpoolPath + ".left", SpoolPath);
        SessionRecorder.RecoverSpool(_folder, time);
        Assert.Single(Lines(), l => l.Kind == GatewayRecordLine.NoticeKind && l.Text.Contains("Authorised use only | Line one | Line two", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
