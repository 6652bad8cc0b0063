using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// One relayed packet waiting to be decoded, with the time the relay saw it; or, with <see cref="Note"/>, what the
/// record must say at that point, as a line of <see cref="NoteKind"/> (packets the queue could not hold; the legal notice
/// handed to the client).
/// </summary>
internal readonly record struct RelayedLine(DateTimeOffset Time, RelayDirection Direction, string Line, string? Note = null, string NoteKind = GatewayRecordLine.LostKind);
