using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// How the session host and its gateway talk on the session's broker socket: each message is one frame, a 4-byte
/// big-endian length and that many bytes of UTF-8 JSON. A connection carries one request, then the gateway's
/// replies to it (progress, warnings, and one final result or failure), then ends. Both sides bound what they
/// read before reading it, so a peer cannot make the other allocate more than a frame's limit.
/// </summary>
public static class BrokerFrames
{
    /// <summary>A request: the largest is a legal notice (8,192 characters, up to 4 bytes each in UTF-8, escaped).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>
    /// A reply: the largest is Test-AzureStack -List over the stamp's manifest, whose categories the endpoint does not
    /// bound (the bench's 20,000 categories made a 1.2 MB reply, refused at the former 1 MiB), then the account list
    /// or a Close's list of delivered transcripts. The host reads replies only from its own gateway.
    /// </summary>
    public const int MaxReplyBytes = 16 * 1024 * 1024;

    private const int HeaderBytes = 4;

    /// <summary>
    /// Strict on reading: an unknown property, a missing one, a null where none may be, or the message kind
    /// anywhere but first is refused rather than guessed at.
    /// </summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 8,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The request as a frame's payload, its kind first (the caller clears it after sending: it may carry a secret).</summary>
    public static byte[] Encode(BrokerRequest request) => JsonSerializer.SerializeToUtf8Bytes(request, Json);

    /// <summary>The reply as a frame's payload, its kind first.</summary>
    public static byte[] Encode(BrokerReply reply) => JsonSerializer.SerializeToUtf8Bytes(reply, Json);

    /// <summary>The message a payload holds; <see cref="BrokerProtocolException"/> when it is not one.</summary>
    public static T Decode<T>(byte[] payload)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Json) ?? throw new BrokerProtocolException("The frame holds null, not a message.");
        }
        catch (JsonException e)
        {
            // JsonException's message quotes no value, only a path and position; still, say only what kind of fault.
            throw new BrokerProtocolException($"The frame is not a valid {typeof(T).Name} (at {e.Path ?? "$"}).", e);
        }
        catch (NotSupportedException e)
        {
            throw new BrokerProtocolException($"The frame is not a valid {typeof(T).Name} (unknown kind).", e);
        }
    }

    /// <summary>Writes one frame.</summary>
    public static async Task WriteAsync(Stream stream, byte[] payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(payload);
        byte[] header = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt32BigEndian(header, checked((uint)payload.Length));
        await stream.WriteAsync(header, cancellationToken);
        await stream.WriteAsync(payload, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads one frame of at most <paramref name="maxBytes"/>: null when the peer closed the connection between
    /// frames; <see cref="BrokerProtocolException"/> for a frame that is empty, too large (refused from its header,
    /// before its payload is read) or cut off.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = new byte[HeaderBytes];
        int got = await stream.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, cancellationToken);
        if (got == 0)
        {
            return null;
        }

        if (got < HeaderBytes)
        {
            throw new BrokerProtocolException("The connection ended inside a frame's length.");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0 || length > (uint)maxBytes)
        {
            throw new BrokerProtocolException($"A frame of {length} bytes was refused; frames hold 1 to {maxBytes} bytes.");
        }

        byte[] payload = new byte[length];
        if (await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken) < payload.Length)
        {
            Array.Clear(payload);
            throw new BrokerProtocolException($"The connection ended inside a frame of {length} bytes.");
        }

        return payload;
    }
}
