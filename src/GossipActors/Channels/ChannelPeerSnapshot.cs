using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>A peer of a channel as the membership layer sees it: alive, of a member org, with its ledger height.</summary>
public sealed record ChannelPeer(PkiId Id, string Org, ulong Height);

/// <summary>
/// The channel's peers at one moment (alive members of member orgs, with heights), given to the cores as input.
/// Immutable; one instance can be shared by many cores (the simulator does).
/// </summary>
public sealed class ChannelPeerSnapshot
{
    private readonly ChannelPeer[] _peers;
    private readonly Dictionary<PkiId, int> _indexOf;

    public ChannelPeerSnapshot(IEnumerable<ChannelPeer> peers)
    {
        var list = new List<ChannelPeer>();
        _indexOf = [];
        foreach (var peer in peers)
        {
            if (_indexOf.TryGetValue(peer.Id, out var at))
            {
                list[at] = peer; // a repeated id keeps its last entry
            }
            else
            {
                _indexOf[peer.Id] = list.Count;
                list.Add(peer);
            }
        }
        _peers = [.. list];
    }

    public static ChannelPeerSnapshot Empty { get; } = new([]);

    public IReadOnlyList<ChannelPeer> Peers => _peers;

    public int Count => _peers.Length;

    public bool Contains(PkiId id) => _indexOf.ContainsKey(id);

    /// <summary>The peer's reported height, or 0 if it is not in the snapshot.</summary>
    public ulong HeightOf(PkiId id) => _indexOf.TryGetValue(id, out var i) ? _peers[i].Height : 0;

    /// <summary>
    /// Up to <paramref name="count"/> distinct random peers, none of them <paramref name="self"/> or
    /// <paramref name="except"/>. Rejection sampling: O(count) for the small fan-outs gossip uses.
    /// </summary>
    public List<PkiId> SelectRandom(int count, Random random, PkiId self, PkiId except = default)
    {
        var eligible = _peers.Length - (Contains(self) ? 1 : 0) - (!except.IsEmpty && except != self && Contains(except) ? 1 : 0);
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
            var id = _peers[random.Next(_peers.Length)].Id;
            if (id != self && id != except && !chosen.Contains(id))
            {
                chosen.Add(id);
            }
        }
        return chosen;
    }
}
