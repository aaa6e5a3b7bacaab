namespace GossipActors.Channels;

/// <summary>What a channel's dissemination cores ignored or did, by reason; the shell exports them as metrics.</summary>
public sealed class DisseminationCounters
{
    /// <summary>Inputs from a peer that is not in the channel snapshot (non-member org, not alive, left).</summary>
    public long NotChannelPeer { get; internal set; }

    /// <summary>Blocks received that we already had.</summary>
    public long DuplicateBlocks { get; internal set; }

    /// <summary>Pull digests or responses under a nonce we did not issue (or no longer wait for).</summary>
    public long UnknownNonce { get; internal set; }

    /// <summary>Pull requests under a nonce we never sent a digest for (or that expired).</summary>
    public long UnknownIncomingNonce { get; internal set; }

    /// <summary>Pull-digest entries below our ledger height, skipped.</summary>
    public long DigestsBelowHeight { get; internal set; }

    /// <summary>Pull-digest entries that are not an 8-byte block number.</summary>
    public long MalformedDigests { get; internal set; }

    /// <summary>Data requests for blocks we neither hold nor expect.</summary>
    public long UnknownBlockRequests { get; internal set; }

    /// <summary>Digests (enhanced push) of blocks beyond the highest known height plus maxBlockCountToStore: ignored.</summary>
    public long DigestsBeyondHeight { get; internal set; }

    /// <summary>Pull-digest entries ignored: beyond maxBlockCountToStore entries in one digest, or beyond the known height bound.</summary>
    public long PullOffersBeyondBound { get; internal set; }

    /// <summary>Blocks new to the cores but below the store's window (the store holds maxBlockCountToStore newer ones): not new.</summary>
    public long BelowStoreWindow { get; internal set; }

    /// <summary>Hellos answered with a pull digest (we serve pull).</summary>
    public long HellosAnswered { get; internal set; }

    /// <summary>Blocks sent on request (data requests, pull requests).</summary>
    public long BlocksServed { get; internal set; }

    /// <summary>Incoming hello nonces dropped because the pending set was full (bounded by the channel's peers).</summary>
    public long IncomingNoncesDropped { get; internal set; }

    /// <summary>Data requests re-sent to another digest sender after requestWaitTime.</summary>
    public long RequestRetries { get; internal set; }

    /// <summary>Data requests given up (no other digest sender); pull is then the safety net.</summary>
    public long RequestsAbandoned { get; internal set; }

    /// <summary>Blocks requested because a later block (or its digest) showed we never heard of them (enhanced mode).</summary>
    public long GapRequests { get; internal set; }
}
