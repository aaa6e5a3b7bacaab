namespace GossipActors.Comm;

/// <summary>
/// The membership requests we sent and still wait for, by nonce: a membership response is taken only under one of
/// these nonces, once, before it expires; anything else is unsolicited and ignored. Bounded: when full, the oldest
/// request is given up.
/// </summary>
public sealed class OutstandingRequests(int capacity, TimeSpan timeout)
{
    private readonly Dictionary<ulong, (string Endpoint, DateTimeOffset Expires)> _byNonce = [];
    private readonly Queue<ulong> _order = new();

    public int Count => _byNonce.Count;

    public void Add(ulong nonce, string endpoint, DateTimeOffset now)
    {
        Prune(now);
        while (_byNonce.Count >= capacity && _order.TryDequeue(out var oldest))
        {
            _byNonce.Remove(oldest);
        }
        if (_byNonce.TryAdd(nonce, (endpoint, now + timeout)))
        {
            _order.Enqueue(nonce);
        }
    }

    /// <summary>True (once) if a request under <paramref name="nonce"/> is outstanding; it is then no longer.</summary>
    public bool TryComplete(ulong nonce, DateTimeOffset now, out string endpoint)
    {
        endpoint = "";
        if (!_byNonce.Remove(nonce, out var entry))
        {
            return false;
        }
        endpoint = entry.Endpoint;
        return now < entry.Expires;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && (!_byNonce.TryGetValue(oldest, out var entry) || entry.Expires <= now))
        {
            _order.Dequeue();
            _byNonce.Remove(oldest);
        }
    }
}
