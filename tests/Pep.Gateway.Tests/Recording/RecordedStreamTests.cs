using Pep.Core.Transcripts;
using Pep.Gateway.Recording;

namespace Pep.Gateway.Tests.Recording;

/// <summary>The gateway's decoding of real remoting streams (Streams/README.md), with PowerShell's own deserializer.</summary>
public sealed class RecordedStreamTests
{
    private static string[] Lines(string name) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Recording", "Streams", name));

    private static List<RecordedEvent> Decode(string name, Func<string[], string[]>? edit = null, List<string>? problems = null)
    {
        var fragments = new PsrpFragments();
        problems ??= [];
        var events = new List<RecordedEvent>();
        foreach (string line in (edit ?? (l => l))(Lines(name)))
        {
            foreach (PsrpMessage message in fragments.Add(line, problems))
            {
                events.AddRange(PsrpRenderer.Render(message));
            }
        }

        return events;
    }

    [Fact]
    public void EveryPipelineTheClientSent_IsRecordedWithItsParametersAndArguments()
    {
        List<string> pipelines = [.. Decode("client-to-host.psrp").Where(e => e.Kind == GatewayRecordLine.PipelineKind).Select(e => e.Text)];

        Assert.Contains(pipelines, p => p.Contains("Get-Command -Name 'Get-Date' -CommandType 'Cmdlet' | Select-Object -ExpandProperty 'Name'", StringComparison.Ordinal));
        Assert.Contains(pipelines, p => p.Contains("Write-Warning 'a warning here'", StringComparison.Ordinal));
        Assert.Contains(pipelines, p => p.Contains("'arg one'", StringComparison.Ordinal) && p.Contains(" 42", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryStreamThatCameBack_IsRecordedAsText()
    {
        List<RecordedEvent> events = Decode("host-to-client.psrp");

        Assert.Contains(new RecordedEvent("Output", "Get-Date"), events);
        Assert.Contains(new RecordedEvent("Output", "plain output"), events);
        Assert.Contains(events, e => e.Kind == "Error" && e.Text.StartsWith("an error here", StringComparison.Ordinal) && e.Text.Contains("Microsoft.PowerShell.Commands.WriteErrorException", StringComparison.Ordinal));
        Assert.Contains(new RecordedEvent("Warning", "a warning here"), events);
        Assert.Contains(new RecordedEvent("Verbose", "verbose here"), events);
        Assert.Contains(new RecordedEvent("Debug", "debug here"), events);
        Assert.Contains(new RecordedEvent("Information", "info here"), events);
        Assert.Contains(new RecordedEvent("Progress", "Copying: half (50%)"), events);
        Assert.Contains(new RecordedEvent("Output", "shown on the host"), events);
        Assert.Contains(new RecordedEvent("State", "Completed"), events);
    }

    [Fact]
    public void ALargeOutputInSeveralFragments_IsReassembled_AndSummarisedPastTheLimit()
    {
        RecordedEvent large = Assert.Single(Decode("host-to-client.psrp"), e => e.Text.StartsWith("LLLL", StringComparison.Ordinal));

        Assert.Equal("Output", large.Kind);
        Assert.Equal(new string('L', PsrpRenderer.MaxTextChars) + $" ... (summarised: 100000 characters, the first {PsrpRenderer.MaxTextChars} kept)", large.Text);
        Assert.True(Lines("host-to-client.psrp").Count(l => l.Length > 30_000) > 1, "the capture holds the object in more than one packet");
    }

    [Fact]
    public void AFragmentLostFromTheMiddleOfAnObject_IsSaid_AndTheOtherObjectsStillDecode()
    {
        var problems = new List<string>();
        int lost = Array.FindIndex(Lines("host-to-client.psrp"), l => l.Length > 30_000) + 1;

        List<RecordedEvent> events = Decode("host-to-client.psrp", lines => [.. lines.Where((_, i) => i != lost)], problems);

        Assert.Contains(problems, p => p.Contains("came without the fragments before it (lost)", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Text.StartsWith("LLLL", StringComparison.Ordinal));
        Assert.Contains(new RecordedEvent("Output", "shown on the host"), events);
    }

    [Fact]
    public void AMessagePastTheLimit_IsNotHeldOrDecoded_AndTheRecordSaysSo()
    {
        static string Packet(long fragmentId, byte flags, int length)
        {
            byte[] fragment = new byte[21 + length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(fragment, 7);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(fragment.AsSpan(8), fragmentId);
            fragment[16] = flags;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(fragment.AsSpan(17), length);
            return $"<Data Stream='Default' PSGuid='00000000-0000-0000-0000-000000000000'>{Convert.ToBase64String(fragment)}</Data>";
        }

        var fragments = new PsrpFragments();
        var problems = new List<string>();
        int half = (PsrpFragments.MaxMessageBytes / 2) + 1;

        IReadOnlyList<PsrpMessage> messages = [.. fragments.Add(Packet(0, 0x1, half), problems), .. fragments.Add(Packet(1, 0x0, half), problems), .. fragments.Add(Packet(2, 0x2, 10), problems)];

        Assert.Empty(messages);
        Assert.Contains(problems, p => p.StartsWith($"a message of {(2L * half) + 10} bytes or more, past the record's limits", StringComparison.Ordinal));
    }

    [Fact]
    public void ACredentialArgument_ShowsItsUserName_NeverItsPassword()
    {
        List<RecordedEvent> events = Decode("client-to-host.psrp");

        Assert.Contains(events, e => e.Kind == GatewayRecordLine.PipelineKind && e.Text.Contains(@"(PSCredential for AZURESTACK\someone)", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Text.Contains("S3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void ASecureStringInAMessage_IsAPlaceholder_AndNeverDecrypted()
    {
        const string Xml = """<Obj RefId="0"><MS><SS N="Password">AAECAwQFBgcICQ==</SS><S N="User">someone</S></MS></Obj>""";
        byte[] blob = [.. new byte[4], .. BitConverter.GetBytes((uint)PsrpMessageType.PipelineOutput), .. new byte[32], .. System.Text.Encoding.UTF8.GetBytes(Xml)];

        RecordedEvent output = Assert.Single(PsrpRenderer.Render(PsrpMessage.Parse(blob)!));

        Assert.Contains(PsrpRenderer.SecureStringPlaceholder, output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("AAECAwQF", output.Text, StringComparison.Ordinal);
    }
}
