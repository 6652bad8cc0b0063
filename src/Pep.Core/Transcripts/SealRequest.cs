namespace Pep.Core.Transcripts;

/// <summary>What a new ledger entry records about a sealed transcript; the chain fields are added by <see cref="LedgerChain"/>.</summary>
public sealed record SealRequest(
    string Instance,
    Guid SessionId,
    string File,
    string Sha256,
    long Size,
    string User,
    string ClientAddress,
    DateTimeOffset StartedUtc,
    DateTimeOffset EndedUtc,
    DateTimeOffset SealedUtc,
    string EndReason);
