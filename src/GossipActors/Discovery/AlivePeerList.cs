namespace GossipActors.Discovery;

/// <summary>
/// The alive peers as a dense list: O(1) add, O(1) remove (swap with the last) and uniform random picks.
/// Order depends only on the sequence of operations, so picks are reproducible from the seed.
/// </summary>
internal sealed class AlivePeerList(Func<MemberEntry, int> getIndex, Action<MemberEntry, int> setIndex)
{
    private readonly List<MemberEntry> _items = [];

    public int Count => _items.Count;

    public MemberEntry this[int index] => _items[index];

    public void Add(MemberEntry entry)
    {
        if (getIndex(entry) >= 0)
        {
            return;
        }
        setIndex(entry, _items.Count);
        _items.Add(entry);
    }

    public void Remove(MemberEntry entry)
    {
        var index = getIndex(entry);
        if (index < 0)
        {
            return;
        }
        var last = _items[^1];
        _items[index] = last;
        setIndex(last, index);
        _items.RemoveAt(_items.Count - 1);
        setIndex(entry, -1);
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct random entries not already in <paramref name="chosen"/>, added to it.
    /// Entries heard from since <paramref name="freshSince"/> are preferred; others fill in only when too few are fresh
    /// (a peer that went quiet, e.g. behind a partition, stops swallowing our gossip long before it is declared dead).
    /// Only entries <paramref name="eligible"/> accepts are picked (all when null).
    /// </summary>
    public void PickInto(Random random, int count, List<MemberEntry> chosen, DateTimeOffset freshSince, Func<MemberEntry, bool>? eligible = null)
    {
        var wanted = chosen.Count + Math.Min(count, _items.Count);
        if (_items.Count > count * 4)
        {
            for (var attempts = 0; chosen.Count < wanted && attempts < count * 8; attempts++)
            {
                var candidate = _items[random.Next(_items.Count)];
                if (candidate.LastHeard >= freshSince && !chosen.Contains(candidate) && (eligible is null || eligible(candidate)))
                {
                    chosen.Add(candidate);
                }
            }
        }
        if (chosen.Count >= wanted || _items.Count == 0)
        {
            return;
        }
        // Few peers, or few fresh ones: walk the list from a random offset, fresh ones first, then anyone.
        var start = random.Next(_items.Count);
        for (var pass = 0; pass < 2 && chosen.Count < wanted; pass++)
        {
            for (var i = 0; i < _items.Count && chosen.Count < wanted; i++)
            {
                var candidate = _items[(start + i) % _items.Count];
                if ((pass == 1 || candidate.LastHeard >= freshSince) && !chosen.Contains(candidate) && (eligible is null || eligible(candidate)))
                {
                    chosen.Add(candidate);
                }
            }
        }
    }
}
