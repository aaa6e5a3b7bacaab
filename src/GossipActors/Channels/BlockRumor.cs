using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>What one peer knows about the spread of one block in enhanced mode.</summary>
internal sealed class BlockRumor(DateTimeOffset firstSeen)
{
    public const int MaxAlternatives = 8;
    public const int MaxWaiting = 64;

    private ulong _pushTtlsForwarded;
    private ulong _digestTtlsForwarded;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    /// <summary>The digest sender we asked for the block, if we asked.</summary>
    public PkiId RequestedFrom { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public bool RetriesExhausted { get; set; }

    /// <summary>Other peers that sent us a digest of the block: retry targets.</summary>
    public Queue<PkiId> Alternatives { get; } = new();

    /// <summary>Peers that asked us for the block before we had it: answered when it arrives.</summary>
    public List<PkiId> Waiting { get; } = [];

    /// <summary>True the first time the full block is seen with this push TTL (a new (block, TTL) pair).</summary>
    public bool FirstPush(int ttl) => FirstBit(ref _pushTtlsForwarded, ttl);

    /// <summary>True the first time the block is announced to us with this digest TTL.</summary>
    public bool FirstDigest(int ttl) => FirstBit(ref _digestTtlsForwarded, ttl);

    public void AddAlternative(PkiId peer)
    {
        if (peer != RequestedFrom && Alternatives.Count < MaxAlternatives && !Alternatives.Contains(peer))
        {
            Alternatives.Enqueue(peer);
        }
    }

    public void AddWaiting(PkiId peer)
    {
        if (Waiting.Count < MaxWaiting && !Waiting.Contains(peer))
        {
            Waiting.Add(peer);
        }
    }

    private static bool FirstBit(ref ulong mask, int ttl)
    {
        var bit = 1UL << ttl;
        if ((mask & bit) != 0)
        {
            return false;
        }
        mask |= bit;
        return true;
    }
}
