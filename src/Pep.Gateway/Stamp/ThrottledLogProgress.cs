using System.Globalization;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Logs;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>A log collection's file-by-file progress, sent to the cmdlet at most every <see cref="Interval"/>: a role of many small files would otherwise send a frame per file.</summary>
internal sealed class ThrottledLogProgress(BrokerCall call, TimeProvider time) : IProgress<LogProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly Lock _lock = new();
    private long _last = long.MinValue;

    public void Report(LogProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            long now = time.GetTimestamp();
            if (_last != long.MinValue && time.GetElapsedTime(_last, now) < Interval)
            {
                return;
            }

            _last = now;
            call.Report(new BrokerProgress(string.Create(CultureInfo.InvariantCulture, $"{value.Role}: {value.Done} of {value.Total} files"), -1, -1));
        }
    }
}
