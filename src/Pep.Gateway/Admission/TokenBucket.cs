namespace Pep.Gateway.Admission;

/// <summary>A token bucket: up to <c>capacity</c> at once, refilled at a steady rate. Not thread-safe: the owner locks.</summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _updated;

    public TokenBucket(double capacity, double perSecond, TimeProvider time)
    {
        _capacity = capacity;
        _perSecond = perSecond;
        _time = time;
        _tokens = capacity;
        _updated = time.GetTimestamp();
    }

    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>True when the bucket is full again: its owner can forget it without changing anything.</summary>
    public bool IsFull()
    {
        Refill();
        return _tokens >= _capacity;
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_updated, now).TotalSeconds * _perSecond));
        _updated = now;
    }
}
