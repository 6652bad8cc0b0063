namespace Pep.Core.Stamp.Logs;

/// <summary>
/// The time window of a log collection, in UTC. Defaults follow the original: the last four hours up to
/// now. A date without a kind is the endpoint's local time; a reversed window is an error. A window
/// without a ToDate is open-ended: "up to now" includes what is written while the collection runs.
/// </summary>
public sealed record LogWindow(DateTimeOffset FromUtc, DateTimeOffset ToUtc, bool OpenEnded = false)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(4);

    /// <exception cref="ArgumentException">FromDate is after ToDate.</exception>
    public static LogWindow Resolve(DateTime? fromDate, DateTime? toDate, DateTimeOffset nowUtc)
    {
        DateTimeOffset to = toDate is { } t ? AsUtc(t) : nowUtc;
        DateTimeOffset from = fromDate is { } f ? AsUtc(f) : to - DefaultLength;
        if (from > to)
        {
            throw new ArgumentException($"FromDate ({from:u}) is after ToDate ({to:u}).", nameof(fromDate));
        }

        return new LogWindow(from, to, OpenEnded: toDate is null);
    }

    /// <summary>
    /// True when the span a file covers overlaps the window. A file covers from its creation (or its last
    /// write, if that is earlier: a copied or touched file) to its last write. Where the file system keeps
    /// no creation time, .NET reports the last status change, so a live log seems to start "now": that is
    /// why an open-ended window ignores its upper bound.
    /// </summary>
    public bool Covers(DateTime createdUtc, DateTime lastWriteUtc)
    {
        DateTimeOffset last = new(DateTime.SpecifyKind(lastWriteUtc, DateTimeKind.Utc));
        DateTimeOffset first = new(DateTime.SpecifyKind(createdUtc < lastWriteUtc ? createdUtc : lastWriteUtc, DateTimeKind.Utc));
        return (OpenEnded || first <= ToUtc) && last >= FromUtc;
    }

    private static DateTimeOffset AsUtc(DateTime value)
        => new(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(), TimeSpan.Zero);
}
