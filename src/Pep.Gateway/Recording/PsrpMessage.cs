namespace Pep.Gateway.Recording;

/// <summary>
/// One PowerShell remoting message, reassembled from its fragments ([MS-PSRP] 2.2.1): its type, the runspace pool and
/// pipeline it belongs to, and its data (CLIXML, UTF-8).
/// </summary>
internal sealed record PsrpMessage(PsrpMessageType Type, Guid RunspacePoolId, Guid PipelineId, ReadOnlyMemory<byte> Data)
{
    /// <summary>Destination (4), type (4), runspace pool id (16), pipeline id (16): little-endian, GUIDs in .NET byte order.</summary>
    private const int HeaderBytes = 40;

    /// <summary>The message a reassembled blob holds; null when it is too short to be one.</summary>
    public static PsrpMessage? Parse(ReadOnlyMemory<byte> blob)
    {
        if (blob.Length < HeaderBytes)
        {
            return null;
        }

        ReadOnlySpan<byte> span = blob.Span;
        var type = (PsrpMessageType)BitConverter.ToUInt32(span[4..8]);
        var pool = new Guid(span[8..24]);
        var pipeline = new Guid(span[24..40]);
        ReadOnlyMemory<byte> data = blob[HeaderBytes..];
        if (data.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            data = data[3..];
        }

        return new PsrpMessage(type, pool, pipeline, data);
    }
}
