namespace GossipActors.Comm;

/// <summary>
/// Lets one warning per key (e.g. sender + reason) through per <see cref="Interval"/>, and counts what it held back so
/// the next warning that passes can say how many were suppressed. A peer that keeps sending the same bad message then
/// costs one log line per interval, not one per message. Memory is bounded: at most <see cref="Capacity"/> keys are
/// tracked; when full, keys whose interval has passed are dropped, and a new key beyond that is suppressed (counted in
/// <see cref="SuppressedUntracked"/>), so varying the key cannot flood the log either. Takes the time as input; not
/// thread-safe (one owner, an actor).
/// </summary>
public sealed class WarningRateLimiter
{
    private readonly Dictionary<string, (DateTimeOffset LoggedAt, long Suppressed)> _keys = new(StringComparer.Ordinal);

    public WarningRateLimiter(TimeSpan interval, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Interval = interval;
        Capacity = capacity;
    }

    /// <summary>One minute: repeated identical warnings about one sender, at most once a minute.</summary>
    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromMinutes(1);

    public TimeSpan Interval { get; }

    public int Capacity { get; }

    public int TrackedKeys => _keys.Count;

    /// <summary>Warnings held back because every tracked key was still within its interval.</summary>
    public long SuppressedUntracked { get; private set; }

    /// <summary>
    /// True when a warning for <paramref name="key"/> may be logged now; <paramref name="suppressed"/> is then how many
    /// for this key were held back since the last one logged.
    /// </summary>
    public bool ShouldLog(string key, DateTimeOffset now, out long suppressed)
    {
        suppressed = 0;
        if (_keys.TryGetValue(key, out var entry))
        {
            if (now - entry.LoggedAt < Interval)
            {
                _keys[key] = entry with { Suppressed = entry.Suppressed + 1 };
                return false;
            }
            suppressed = entry.Suppressed;
            _keys[key] = (now, 0);
            return true;
        }
        if (_keys.Count >= Capacity && !MakeRoom(now))
        {
            SuppressedUntracked++;
            return false;
        }
        _keys[key] = (now, 0);
        return true;
    }

    private bool MakeRoom(DateTimeOffset now)
    {
        foreach (var key in _keys.Where(k => now - k.Value.LoggedAt >= Interval).Select(k => k.Key).ToList())
        {
            _keys.Remove(key);
        }
        return _keys.Count < Capacity;
    }
}
