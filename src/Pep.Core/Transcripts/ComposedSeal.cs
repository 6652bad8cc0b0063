using Pep.Core.Contracts;

namespace Pep.Core.Transcripts;

/// <summary>A sealed file written under its temporary name and not yet in the ledger (under the ledger lock), with what its entry needs.</summary>
internal sealed record ComposedSeal(
    Guid SessionId, string Name, string Temporary, string Sha256, long Size, string BodySha256, SessionHeader Header,
    DateTimeOffset EndedUtc, SessionEndReason EndReason, LedgerEntry? Previous);
