using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>What one peer knows about the spread of one block in enhanced mode.</summary>
internal sealed class BlockRumor(DateTimeOffset firstSeen)
{
    public const int MaxAlternatives = 8;
    public const int MaxWaiting = 64;

    private int _pushForwardedTtl = -1;
    private int _digestForwardedTtl = -1;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    /// <summary>The digest sender we asked for the block, if we asked.</summary>
    public PkiId RequestedFrom { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public bool RetriesExhausted { get; set; }

    /// <summary>Other peers that sent us a digest of the block: retry targets.</summary>
    public Queue<PkiId> Alternatives { get; } = new();

    /// <summary>Peers that asked us for the block before we had it: answered when it arrives.</summary>
    public List<PkiId> Waiting { get; } = [];

    /// <summary>
    /// True when the full block should go out with <paramref name="ttl"/>: the first time, or when a later copy
    /// carries a higher TTL than any we forwarded (a copy that overtook an earlier-hop one on a jittery link must not
    /// cut the wave short). TTLs are clamped to the configured ones first, so a relay sends a block in full at
    /// most pushTtl times (once per outgoing TTL), whatever copies a member sends.
    /// </summary>
    public bool ForwardPush(int ttl) => Raise(ref _pushForwardedTtl, ttl);

    /// <summary>As <see cref="ForwardPush"/> for digests: at most digestTtl times per block.</summary>
    public bool ForwardDigest(int ttl) => Raise(ref _digestForwardedTtl, ttl);

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

    private static bool Raise(ref int highest, int ttl)
    {
        if (ttl <= highest)
        {
            return false;
        }
        highest = ttl;
        return true;
    }
}
