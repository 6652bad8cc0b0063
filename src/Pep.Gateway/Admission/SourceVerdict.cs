namespace Pep.Gateway.Admission;

/// <summary>How long the next login from a source waits before its check, or until when it is refused (when blocked).</summary>
internal sealed record SourceVerdict(TimeSpan Delay, DateTimeOffset? BlockedUntil)
{
    public static readonly SourceVerdict Free = new(TimeSpan.Zero, null);
}
