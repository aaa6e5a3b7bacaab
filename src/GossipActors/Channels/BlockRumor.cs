using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>What one peer knows about the spread of one block in enhanced mode.</summary>
internal sealed class BlockRumor(DateTimeOffset firstSeen)
{
    public const int MaxAlternatives = 8;
    public const int MaxWaiting = 64;

    private bool _pushForwarded;
    private bool _digestForwarded;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    /// <summary>The digest sender we asked for the block, if we asked.</summary>
    public PkiId RequestedFrom { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public bool RetriesExhausted { get; set; }

    /// <summary>Other peers that sent us a digest of the block: retry targets.</summary>
    public Queue<PkiId> Alternatives { get; } = new();

    /// <summary>Peers that asked us for the block before we had it: answered when it arrives.</summary>
    public List<PkiId> Waiting { get; } = [];

    /// <summary>True the first time only: a block is forwarded in full at most once, whatever TTL later copies carry.</summary>
    public bool FirstPush() => First(ref _pushForwarded);

    /// <summary>True the first time only: a block's digest is forwarded at most once, whatever TTL later digests carry.</summary>
    public bool FirstDigest() => First(ref _digestForwarded);

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

    private static bool First(ref bool done)
    {
        if (done)
        {
            return false;
        }
        done = true;
        return true;
    }
}
