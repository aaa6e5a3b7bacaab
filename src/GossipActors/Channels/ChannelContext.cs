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
    public ChannelPeerSnapshot Peers { get; set; } = ChannelPeerSnapshot.Empty;

    /// <summary>Our ledger height: every block below it is committed.</summary>
    public ulong LedgerHeight { get; set; }

    public bool Has(ulong number) => number < LedgerHeight || Store.Contains(number);

    public GossipMessage Message(DataMessage data) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataMsg = data };

    public GossipMessage Message(DataDigest digest) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataDigest = digest };

    public GossipMessage Message(DataRequest request) => new() { Channel = Channel, Tag = GossipTag.ChanAndOrg, DataReq = request };

    public static DataMessage Data(ulong number, ByteString block, int pushTtl, int digestTtl) =>
        new() { SeqNum = number, Block = block, PushTtl = (uint)pushTtl, DigestTtl = (uint)digestTtl };

    public static int Clamp(uint ttl) => (int)Math.Min(ttl, DisseminationCoreSettings.MaxTtl);
}
