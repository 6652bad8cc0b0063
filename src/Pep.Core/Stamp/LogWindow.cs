namespace Pep.Core.Stamp;

/// <summary>
/// The time window of a log collection, in UTC. Defaults follow the original: the last four hours up to
/// now. A date without a kind is the endpoint's local time; a reversed window is an error.
/// </summary>
public sealed record LogWindow(DateTimeOffset FromUtc, DateTimeOffset ToUtc)
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

        return new LogWindow(from, to);
    }

    /// <summary>
    /// True when the span a file covers overlaps the window. A file covers from its creation (or its last
    /// write, if that is earlier: a copied or touched file) to its last write.
    /// </summary>
    public bool Covers(DateTime createdUtc, DateTime lastWriteUtc)
    {
        DateTimeOffset last = new(DateTime.SpecifyKind(lastWriteUtc, DateTimeKind.Utc));
        DateTimeOffset first = new(DateTime.SpecifyKind(createdUtc < lastWriteUtc ? createdUtc : lastWriteUtc, DateTimeKind.Utc));
        return first <= ToUtc && last >= FromUtc;
    }

    private static DateTimeOffset AsUtc(DateTime value)
        => new(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(), TimeSpan.Zero);
}
