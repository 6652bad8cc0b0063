using System.Globalization;
using System.Text;
using System.Text.Json;
using Pep.Core.Security;

namespace Pep.Core.Transcripts;

/// <summary>
/// A signed statement of an instance's chain head: how many entries its ledger had and the hash of the last one, when
/// stated. Every delivery carries one (<see cref="DeliveredNames.Head"/>), the instance keeps the last it stated, and
/// the gateway logs the head at every seal: removing the last entries of a ledger together with their transcripts
/// then shows against any of them (<see cref="LedgerVerifier"/>, given the previous delivery).
/// </summary>
public sealed record ChainHead
{
    private const string CanonicalPrefix = "pep-chain-head/1\n";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public required string Instance { get; init; }
    public required string KeyId { get; init; }
    public required long Entries { get; init; }
    public required string HeadHash { get; init; }
    public required DateTimeOffset StatedUtc { get; init; }
    public string Signature { get; init; } = "";

    /// <summary>States the head of <paramref name="ledger"/> (the entries in chain order), signed with the instance key.</summary>
    public static ChainHead State(string instance, IReadOnlyList<LedgerEntry> ledger, DateTimeOffset statedUtc, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new ChainHead
        {
            Instance = instance,
            KeyId = key.PublicKeyId,
            Entries = ledger.Count > 0 ? ledger[^1].Sequence : 0,
            HeadHash = ledger.Count > 0 ? ledger[^1].Hash() : LedgerEntry.GenesisHash,
            StatedUtc = statedUtc,
        };
        return unsigned with { Signature = Convert.ToBase64String(key.Sign(unsigned.CanonicalBytes())) };
    }

    /// <summary>True when <paramref name="chain"/> (in order) holds this head: its entry number <see cref="Entries"/> has <see cref="HeadHash"/>.</summary>
    public bool IsIn(IReadOnlyList<LedgerEntry> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return Entries == 0 || chain.Any(e => e.Sequence == Entries && string.Equals(e.Hash(), HeadHash, StringComparison.Ordinal));
    }

    public bool IsSignedBy(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return string.Equals(KeyId, key.PublicKeyId, StringComparison.Ordinal) && key.Verify(CanonicalBytes(), Convert.FromBase64String(Signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public byte[] CanonicalBytes()
        => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{CanonicalPrefix}instance={Instance}\nkeyId={KeyId}\nentries={Entries}\nheadHash={HeadHash}\nstatedUtc={StatedUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\n"));

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>The statement in a file; null when there is none or it is not one (a verifier says which).</summary>
    public static ChainHead? TryRead(string path) => File.Exists(path) ? TryParse(File.ReadAllBytes(path)) : null;

    public static ChainHead? TryParse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<ChainHead>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"entry {Entries}, hash {HeadHash}, stated {StatedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
}
