using System.Text;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// Decodes relayed packets into record lines on a record file: the fragments of each direction reassembled
/// (<see cref="PsrpFragments"/>), each message rendered by PowerShell's deserializer (<see cref="PsrpRenderer"/>),
/// the client's stop signals and the notes of what was lost written as they come.
/// </summary>
internal sealed class RecordDecoder(FileStream file)
{
    private readonly PsrpFragments _fromClient = new();
    private readonly PsrpFragments _fromHost = new();

    public void Decode(RelayedLine relayed)
    {
        (DateTimeOffset time, RelayDirection direction, string line, string? note, string noteKind) = relayed;
        if (note is not null)
        {
            Write(new GatewayRecordLine(time, noteKind, GatewayRecordLine.NoPipeline, note));
            return;
        }

        if (line.StartsWith("<Signal ", StringComparison.Ordinal))
        {
            Write(new GatewayRecordLine(time, "Stop", PipelineOfPacket(line), "the client asked to stop the pipeline"));
            return;
        }

        var problems = new List<string>();
        IReadOnlyList<PsrpMessage> messages;
        try
        {
            messages = (direction == RelayDirection.ClientToHost ? _fromClient : _fromHost).Add(line, problems);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Write(new GatewayRecordLine(time, GatewayRecordLine.LostKind, GatewayRecordLine.NoPipeline, $"a packet the record could not read ({e.GetType().Name})"));
            return;
        }

        foreach (string problem in problems)
        {
            Write(new GatewayRecordLine(time, GatewayRecordLine.LostKind, GatewayRecordLine.NoPipeline, problem));
        }

        foreach (PsrpMessage message in messages)
        {
            foreach (RecordedEvent recorded in PsrpRenderer.Render(message))
            {
                Write(new GatewayRecordLine(time, recorded.Kind, GatewayRecordLine.PipelineOf(message.PipelineId), recorded.Text));
            }
        }
    }

    public void Write(GatewayRecordLine line) => file.Write(Encoding.UTF8.GetBytes(line.Format()));

    private static string PipelineOfPacket(string line)
    {
        int at = line.IndexOf("PSGuid='", StringComparison.Ordinal);
        return at >= 0 && Guid.TryParse(line.AsSpan(at + "PSGuid='".Length, 36), out Guid id) ? GatewayRecordLine.PipelineOf(id) : GatewayRecordLine.NoPipeline;
    }
}
