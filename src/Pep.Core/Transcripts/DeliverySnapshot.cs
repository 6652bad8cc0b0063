namespace Pep.Core.Transcripts;

/// <summary>
/// What one Close delivers, taken under the ledger lock: the sealed transcripts still here and the ledger
/// exactly as it stood then (every entry of the delivered files, and nothing sealed after), and the other sessions
/// whose transcripts it cannot take because they are not sealed then (<see cref="Unsealed"/>).
/// </summary>
public sealed record DeliverySnapshot(IReadOnlyList<PendingTranscript> Transcripts, byte[] Ledger, string LedgerName, byte[] PublicKey, string PublicKeyName)
{
    public IReadOnlyList<LiveSession> Unsealed { get; init; } = [];

    /// <summary>The signed statement of the ledger's head as delivered (<see cref="ChainHead"/>), delivered before the ledger.</summary>
    public byte[]? Head { get; init; }

    public string HeadName { get; init; } = "";
}
