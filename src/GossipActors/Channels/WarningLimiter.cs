using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>
/// Rate-limits repeated identical warnings: at most one per (sender, reason) per interval; the rest are counted
/// anyway by the caller and logged at debug level. Bounded: forgets everything when it holds too many keys.
/// </summary>
public sealed class WarningLimiter(TimeSpan interval, int maxKeys = 1024)
{
    private readonly Dictionary<(PkiId Sender, string Reason), DateTimeOffset> _lastWarned = [];

    /// <summary>True if a warning about <paramref name="sender"/> for <paramref name="reason"/> may be logged now.</summary>
    public bool ShouldWarn(PkiId sender, string reason, DateTimeOffset now)
    {
        var key = (sender, reason);
        if (_lastWarned.TryGetValue(key, out var last) && now - last < interval)
        {
            return false;
        }
        if (_lastWarned.Count >= maxKeys)
        {
            _lastWarned.Clear();
        }
        _lastWarned[key] = now;
        return true;
    }
}
