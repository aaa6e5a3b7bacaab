using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>A bounded, thread-safe map from exact certificate bytes to their successful (parse + CA signature) check; evicts the oldest entry first.</summary>
internal sealed class SignatureCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ByteString, CertificateCheck> _entries = new(capacity);
    private readonly Queue<ByteString> _order = new(capacity);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(ByteString bytes, out CertificateCheck? check)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(bytes, out check);
        }
    }

    public void Add(ByteString bytes, CertificateCheck check)
    {
        lock (_gate)
        {
            if (!_entries.TryAdd(bytes, check))
            {
                return;
            }
            _order.Enqueue(bytes);
            while (_entries.Count > capacity)
            {
                _entries.Remove(_order.Dequeue());
            }
        }
    }
}
