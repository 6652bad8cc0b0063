namespace Pep.Gateway.Recording;

/// <summary>
/// One relayed packet waiting to be decoded, with the time the relay saw it; or, with <see cref="Note"/>, what the
/// record must say at that point (packets the queue could not hold).
/// </summary>
internal readonly record struct RelayedLine(DateTimeOffset Time, RelayDirection Direction, string Line, string? Note = null);
