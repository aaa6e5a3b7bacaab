using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Channels;

/// <summary>State the dissemination cores of one channel share: who we are, the peers, the store, our height.</summary>
public sealed class ChannelContext
{
    public ChannelContext(string channel, PkiId self, DisseminationCoreSettings settings, Random random)
    {
        Channel = channel;
        Self = self;
        Settings = settings;
        Random = random;
        Store = new BlockMessageStore(settings.MaxBlockCountToStore, settings.BlockExpiration);
    }

    public string Channel { get; }
    public PkiId Self { get; }
    public DisseminationCoreSettings Settings { get; }
    public Random Random { get; }
    public BlockMessageStore Store { get; }
    public DisseminationCounters Counters { get; } = new();
    /// <summary>The peers blocks go to and come from: the channel's peers of our own org.</summary>
    public ChannelPeerSet Peers { get; set; } = new ChannelPeerSet();

    /// <summary>Our ledger height: every block below it is committed.</summary>
    public ulong LedgerHeight { get; set; }

    public bool Has(ulong number) => number < LedgerHeight || Store.Contains(number);

    /// <summary>The highest height anyone is known to have: ours, a peer's reported one, or past a block we hold.</summary>
    public ulong HighestKnownHeight => Math.Max(Math.Max(LedgerHeight, Peers.MaxHeight), Store.Count == 0 ? 0 : Store.Highest + 1);

    /// <summary>
    /// A block number too far ahead to be real or useful: maxBlockCountToStore or more beyond the highest known
    /// height. Digests of such numbers are ignored, so a forged digest cannot start a network-wide fan-out (a peer
    /// that far behind catches up by state transfer, not by gossip).
    /// </summary>
    public bool IsFarBeyondKnownHeight(ulong number) => number >= HighestKnownHeight + (ulong)Settings.MaxBlockCountToStore;

    public GossipMessage Message(DataMessage data) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataMsg = data };

    public GossipMessage Message(DataDigest digest) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataDigest = digest };

    public GossipMessage Message(DataRequest request) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataReq = request };

    public static DataMessage Data(ulong number, ByteString block, int pushTtl, int digestTtl) =>
        new() { SeqNum = number, Block = block, PushTtl = (uint)pushTtl, DigestTtl = (uint)digestTtl };

    /// <summary>A push TTL from the wire, clamped to the configured pushTtl (no peer may ask for more hops).</summary>
    public int ClampPush(uint ttl) => (int)Math.Min(ttl, (uint)Settings.PushTtl);

    /// <summary>A digest TTL from the wire, clamped to the configured digestTtl.</summary>
    public int ClampDigest(uint ttl) => (int)Math.Min(ttl, (uint)Settings.DigestTtl);
}
