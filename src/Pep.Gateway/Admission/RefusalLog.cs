using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pep.Gateway.Admission;

/// <summary>
/// Refusals before login, counted per source and written as one line per source and interval (a flood of
/// 140 idle connections once wrote 1,462 lines). Sources beyond <see cref="MaxSources"/> in one interval are
/// counted together, so a flood from many addresses cannot grow this either.
/// </summary>
internal sealed class RefusalLog
{
    public const int MaxSources = 1000;
    private const string OtherSources = "other sources";
    private readonly Lock _lock = new();
    private Dictionary<string, SortedDictionary<string, int>> _counts = [];

    /// <summary>Set once the application's logging exists (the gate is made before it).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    public void Record(string source, ConnectionRefusal reason) => Record(source, reason.ToString());

    /// <summary>Counts one refusal; <paramref name="reason"/> is a <see cref="ConnectionRefusal"/> or <see cref="Pep.Core.Contracts.FailureKind"/> name.</summary>
    public void Record(string source, string reason)
    {
        lock (_lock)
        {
            if (!_counts.ContainsKey(source) && _counts.Count >= MaxSources)
            {
                source = OtherSources;
            }

            if (!_counts.TryGetValue(source, out SortedDictionary<string, int>? counts))
            {
                _counts[source] = counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>Writes one line per source refused since the last call, and starts counting afresh.</summary>
    public void Flush(TimeSpan interval)
    {
        Dictionary<string, SortedDictionary<string, int>> counts;
        lock (_lock)
        {
            counts = _counts;
            _counts = [];
        }

        foreach ((string source, SortedDictionary<string, int> perReason) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            string reasons = string.Join(", ", perReason.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value}")));
            GatewayLog.RefusalsSummarised(Logger, perReason.Values.Sum(), source, (int)interval.TotalSeconds, reasons);
        }
    }
}
