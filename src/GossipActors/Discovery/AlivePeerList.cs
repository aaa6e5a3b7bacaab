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

    /// <summary>Up to <paramref name="count"/> distinct random entries not in <paramref name="exclude"/>, added to it.</summary>
    public void PickInto(Random random, int count, List<MemberEntry> exclude)
    {
        var wanted = exclude.Count + Math.Min(count, _items.Count);
        if (_items.Count <= count * 2)
        {
            // Small list: walk it from a random offset so nobody is favoured, skipping what is excluded.
            var start = _items.Count == 0 ? 0 : random.Next(_items.Count);
            for (var i = 0; i < _items.Count && exclude.Count < wanted; i++)
            {
                var candidate = _items[(start + i) % _items.Count];
                if (!exclude.Contains(candidate))
                {
                    exclude.Add(candidate);
                }
            }
            return;
        }
        for (var attempts = 0; exclude.Count < wanted && attempts < count * 20; attempts++)
        {
            var candidate = _items[random.Next(_items.Count)];
            if (!exclude.Contains(candidate))
            {
                exclude.Add(candidate);
            }
        }
    }
}
