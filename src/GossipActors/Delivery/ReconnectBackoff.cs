namespace GossipActors.Delivery;

/// <summary>
/// The delivery client's reconnection schedule: the delay doubles from <see cref="InitialDelay"/> up to the
/// threshold; once failing for the total time threshold it reports the orderer unreachable, once per outage.
/// Pure: time comes in as arguments.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan maxDelay, TimeSpan totalTimeThreshold)
{
    public static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);

    private DateTimeOffset? _failingSince;
    private int _attempt;
    private bool _reported;

    /// <summary>When the current outage started; null when connected.</summary>
    public DateTimeOffset? FailingSince => _failingSince;

    /// <summary>A connection attempt failed (or a stream was lost). Returns the delay before the next attempt, and
    /// the outage's length when it has just crossed the total time threshold (else null).</summary>
    public (TimeSpan Delay, TimeSpan? Unreachable) OnFailure(DateTimeOffset now)
    {
        _failingSince ??= now;
        var delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, InitialDelay.Ticks * Math.Pow(2, Math.Min(_attempt, 40))));
        _attempt++;
        var down = now - _failingSince.Value;
        if (!_reported && down >= totalTimeThreshold)
        {
            _reported = true;
            return (delay, down);
        }
        return (delay, null);
    }

    /// <summary>The orderer answered: the next failure starts a new outage from the initial delay.</summary>
    public void OnConnected()
    {
        _failingSince = null;
        _attempt = 0;
        _reported = false;
    }
}
