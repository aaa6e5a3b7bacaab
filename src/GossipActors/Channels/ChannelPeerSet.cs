using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>A peer of a channel: it published state info for the channel, is alive, of a member org, not left.</summary>
/// <param name="Height">The ledger height of its latest state info.</param>
public sealed record ChannelPeer(PkiId Id, string Org, ulong Height);

/// <summary>
/// A set of channel peers with their heights, updated in place in O(1) per change (insert, height update, removal by
/// swap with the last entry) and sampled at random in O(count). Single owner: the channel membership core updates it,
/// the dissemination cores of the same channel read it. The simulator may share one instance between many cores as
/// long as nobody updates it.
/// </summary>
public sealed class ChannelPeerSet
{
    private readonly List<ChannelPeer> _peers = [];
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private ulong _maxHeight;
    private bool _maxHeightStale;

    public ChannelPeerSet() { }

    /// <summary>A set holding <paramref name="peers"/>; a repeated id keeps its last entry.</summary>
    public ChannelPeerSet(IEnumerable<ChannelPeer> peers)
    {
        foreach (var peer in peers)
        {
            Set(peer);
        }
    }

    public IReadOnlyList<ChannelPeer> Peers => _peers;

    public int Count => _peers.Count;

    public bool Contains(PkiId id) => _indexOf.ContainsKey(id);

    /// <summary>The peer's reported height, or 0 if it is not in the set.</summary>
    public ulong HeightOf(PkiId id) => _indexOf.TryGetValue(id, out var i) ? _peers[i].Height : 0;

    /// <summary>The highest height any peer of the set reported; 0 when empty. O(1) unless the highest peer left.</summary>
    public ulong MaxHeight
    {
        get
        {
            if (_maxHeightStale)
            {
                _maxHeight = 0;
                foreach (var peer in _peers)
                {
                    _maxHeight = Math.Max(_maxHeight, peer.Height);
                }
                _maxHeightStale = false;
            }
            return _maxHeight;
        }
    }

    /// <summary>Adds the peer or replaces its entry (a new height).</summary>
    public void Set(ChannelPeer peer)
    {
        if (_indexOf.TryGetValue(peer.Id, out var at))
        {
            if (_peers[at].Height == _maxHeight && peer.Height < _maxHeight)
            {
                _maxHeightStale = true;
            }
            _peers[at] = peer;
        }
        else
        {
            _indexOf[peer.Id] = _peers.Count;
            _peers.Add(peer);
        }
        if (!_maxHeightStale && peer.Height > _maxHeight)
        {
            _maxHeight = peer.Height;
        }
    }

    /// <summary>Removes the peer if present; true if it was.</summary>
    public bool Remove(PkiId id)
    {
        if (!_indexOf.Remove(id, out var at))
        {
            return false;
        }
        var removed = _peers[at];
        var last = _peers.Count - 1;
        if (at != last)
        {
            _peers[at] = _peers[last];
            _indexOf[_peers[at].Id] = at;
        }
        _peers.RemoveAt(last);
        if (removed.Height == _maxHeight && removed.Height > 0)
        {
            _maxHeightStale = true;
        }
        return true;
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct random peers, none of them <paramref name="self"/> or
    /// <paramref name="except"/>. Rejection sampling: O(count) for the small fan-outs gossip uses.
    /// </summary>
    public List<PkiId> SelectRandom(int count, Random random, PkiId self, PkiId except = default)
    {
        var eligible = _peers.Count - (Contains(self) ? 1 : 0) - (!except.IsEmpty && except != self && Contains(except) ? 1 : 0);
        var want = Math.Min(count, eligible);
        var chosen = new List<PkiId>(Math.Max(want, 0));
        if (want <= 0)
        {
            return chosen;
        }
        if (want * 2 > eligible)
        {
            // Dense pick: shuffle the eligible peers instead of retrying.
            var pool = _peers.Select(p => p.Id).Where(id => id != self && id != except).ToArray();
            random.Shuffle(pool);
            chosen.AddRange(pool.Take(want));
            return chosen;
        }
        while (chosen.Count < want)
        {
            var id = _peers[random.Next(_peers.Count)].Id;
            if (id != self && id != except && !chosen.Contains(id))
            {
                chosen.Add(id);
            }
        }
        return chosen;
    }
}
