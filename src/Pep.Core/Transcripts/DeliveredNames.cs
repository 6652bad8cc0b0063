using System.Globalization;
using System.Text.RegularExpressions;

namespace Pep.Core.Transcripts;

/// <summary>The names of what an instance delivers to a destination folder, and how a verifier recognises them.</summary>
public static partial class DeliveredNames
{
    public const string LedgerSuffix = ".ledger.jsonl";
    public const string PublicKeySuffix = ".pub.pem";
    public const string HeadSuffix = ".head.json";

    /// <summary>Each ledger is named by instance and key, so a re-initialised instance starts a ledger of its own.</summary>
    public static string Ledger(string instance, string keyId) => $"{instance}-{keyId}{LedgerSuffix}";

    public static string PublicKey(string instance, string keyId) => $"{instance}-{keyId}{PublicKeySuffix}";

    /// <summary>The signed statement of the ledger's head (<see cref="ChainHead"/>) that travels with it.</summary>
    public static string Head(string instance, string keyId) => $"{instance}-{keyId}{HeadSuffix}";

    public static string Transcript(string instance, DateTimeOffset startedUtc, Guid sessionId, long sequence)
        => string.Create(CultureInfo.InvariantCulture, $"PEP_{instance}_{startedUtc.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{sessionId:N}_{sequence:D6}.txt");

    /// <summary>A copy still being written or checked; never taken for a transcript.</summary>
    public static string Partial(string name) => "." + name + ".partial";

    public static bool IsTranscript(string name) => TranscriptPattern().IsMatch(name);

    [GeneratedRegex(@"^PEP_[A-Za-z0-9_-]+_\d{8}T\d{6}Z_[0-9a-f]{32}_\d{6,}\.txt$")]
    private static partial Regex TranscriptPattern();
}
