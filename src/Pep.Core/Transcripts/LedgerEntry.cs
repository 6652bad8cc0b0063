using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pep.Core.Transcripts;

/// <summary>
/// One entry of an instance's ledger. A seal entry records a sealed transcript: what the file was when it was
/// sealed (SHA-256, size), whose session it records, when and why it ended. A delivery entry records that a
/// Close sent that transcript to <see cref="Destination"/>: it repeats the seal entry's fields, its
/// <see cref="SealedUtc"/> is when the delivery was recorded, and the Close's own seal entry comes right before
/// it. Each entry names the hash of the entry before it and is signed by the instance key (RSA-PSS), so a
/// changed, removed, reordered or forged entry shows.
/// </summary>
public sealed record LedgerEntry
{
    /// <summary>The hash an instance's first entry names as its predecessor.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The kind of a delivery entry; seal entries have no kind (as every entry before deliveries were recorded).</summary>
    public const string DeliveryKind = "Delivery";

    private const string CanonicalPrefix = "pep-transcript-ledger/1\n";
    private const string DeliveryCanonicalPrefix = "pep-transcript-ledger/2\n";

    private static readonly JsonSerializerOptions LineOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
    };

    public required long Sequence { get; init; }
    public required string Instance { get; init; }
    public required string KeyId { get; init; }
    public required Guid SessionId { get; init; }
    public required string File { get; init; }
    public required string Sha256 { get; init; }
    public required long Size { get; init; }
    public required string User { get; init; }
    public required string ClientAddress { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required DateTimeOffset EndedUtc { get; init; }
    public required DateTimeOffset SealedUtc { get; init; }
    public required string EndReason { get; init; }
    public required string PreviousHash { get; init; }

    /// <summary>Null for a seal entry, <see cref="DeliveryKind"/> for a delivery entry.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>Where a delivery entry's transcript was sent (<c>\\host\share\folder</c> or a local folder).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Destination { get; init; }

    [JsonIgnore]
    public bool IsDelivery => string.Equals(Kind, DeliveryKind, StringComparison.Ordinal);

    /// <summary>Base64 RSA-PSS signature of <see cref="CanonicalBytes"/> by the instance key.</summary>
    [JsonPropertyName("signature")]
    public string Signature { get; init; } = "";

    /// <summary>
    /// The bytes that are signed and hashed: every field but the signature, one <c>name=value</c> line each,
    /// in a fixed order and invariant formats, so that any verifier rebuilds exactly the same bytes. A seal
    /// entry keeps the first form, so ledgers written before deliveries were recorded verify unchanged; any
    /// entry with a kind or a destination has the second, which adds both, so neither can be added to, or
    /// removed from, a signed entry.
    /// </summary>
    public byte[] CanonicalBytes()
    {
        bool firstForm = Kind is null && Destination is null;
        var text = new StringBuilder(firstForm ? CanonicalPrefix : DeliveryCanonicalPrefix);
        void Line(string name, string value) => text.Append(name).Append('=').Append(value).Append('\n');
        Line("sequence", Sequence.ToString(CultureInfo.InvariantCulture));
        Line("instance", Instance);
        Line("keyId", KeyId);
        Line("sessionId", SessionId.ToString("D"));
        Line("file", File);
        Line("sha256", Sha256);
        Line("size", Size.ToString(CultureInfo.InvariantCulture));
        Line("user", User);
        Line("clientAddress", ClientAddress);
        Line("startedUtc", Format(StartedUtc));
        Line("endedUtc", Format(EndedUtc));
        Line("sealedUtc", Format(SealedUtc));
        Line("endReason", EndReason);
        Line("previousHash", PreviousHash);
        if (!firstForm)
        {
            Line("kind", Kind ?? "");
            Line("destination", Destination ?? "");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The hash the next entry names as its predecessor (hex SHA-256 of the canonical bytes).</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes()));

    public string ToJsonLine() => JsonSerializer.Serialize(this, LineOptions);

    /// <summary>Parses one ledger line; null with a reason when it is not an entry.</summary>
    public static LedgerEntry? TryParse(string line, out string? error)
    {
        try
        {
            LedgerEntry? entry = JsonSerializer.Deserialize<LedgerEntry>(line, LineOptions);
            error = entry is null ? "empty entry" : null;
            return entry;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Field values may not break the one-field-per-line canonical form.</summary>
    public static void CheckFieldValue(string name, string value)
    {
        if (value.AsSpan().ContainsAny('\n', '\r', '\0'))
        {
            throw new ArgumentException($"The ledger field '{name}' may not contain line breaks.", name);
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
