using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Comm;

/// <summary>
/// Monotonic versions enforced at the door: for each (kind, channel, peer) the newest (incarnation, sequence)
/// accepted so far. Older is stale (a replay); equal is a duplicate (normal in gossip); newer is accepted.
/// </summary>
public sealed class FreshnessGate
{
    public enum Verdict { Fresh, Duplicate, Stale }

    private readonly Dictionary<(GossipMessage.ContentOneofCase Kind, string Channel, PkiId Peer), (ulong Inc, ulong Seq)> _latest = [];

    public int Count => _latest.Count;

    public Verdict Check(GossipMessage.ContentOneofCase kind, string channel, PkiId peer, PeerTime? time)
    {
        var stamp = (time?.IncNum ?? 0, time?.SeqNum ?? 0);
        var key = (kind, channel, peer);
        if (_latest.TryGetValue(key, out var seen))
        {
            var order = stamp.CompareTo(seen);
            if (order < 0)
            {
                return Verdict.Stale;
            }
            if (order == 0)
            {
                return Verdict.Duplicate;
            }
        }
        _latest[key] = stamp;
        return Verdict.Fresh;
    }

    /// <summary>Forgets a peer (purged, or its certificate renewed under a new PKI-ID).</summary>
    public void Forget(PkiId peer)
    {
        foreach (var key in _latest.Keys.Where(k => k.Peer == peer).ToList())
        {
            _latest.Remove(key);
        }
    }
}
