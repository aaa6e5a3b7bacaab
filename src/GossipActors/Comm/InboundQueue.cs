namespace GossipActors.Comm;

/// <summary>
/// The bounded inbound buffer of the comm actor (peer.gossip.recvBuffSize per connection): at most
/// <c>perSource</c> items waiting from one source and at most <c>maxSources</c> sources with items waiting; anything
/// beyond is refused (the caller drops and counts it). Sources are served round robin, so one flooding connection
/// fills only its own share and others keep getting through. A source with nothing waiting holds no memory.
/// </summary>
public sealed class InboundQueue<TSource, TItem>(int perSource, int maxSources) where TSource : notnull
{
    private readonly Dictionary<TSource, Queue<TItem>> _bySource = [];
    private readonly Queue<TSource> _turns = new();

    public int Count { get; private set; }

    public int Sources => _bySource.Count;

    /// <summary>The most items it ever holds.</summary>
    public long Capacity => (long)perSource * maxSources;

    public bool TryEnqueue(TSource source, TItem item)
    {
        if (!_bySource.TryGetValue(source, out var queue))
        {
            if (_bySource.Count >= maxSources)
            {
                return false;
            }
            queue = new Queue<TItem>();
            _bySource[source] = queue;
            _turns.Enqueue(source);
        }
        else if (queue.Count >= perSource)
        {
            return false;
        }
        queue.Enqueue(item);
        Count++;
        return true;
    }

    /// <summary>The next item, taking one from each waiting source in turn.</summary>
    public bool TryDequeue(out TItem item)
    {
        while (_turns.TryDequeue(out var source))
        {
            var queue = _bySource[source];
            item = queue.Dequeue();
            Count--;
            if (queue.Count == 0)
            {
                _bySource.Remove(source);
            }
            else
            {
                _turns.Enqueue(source);
            }
            return true;
        }
        item = default!;
        return false;
    }
}
