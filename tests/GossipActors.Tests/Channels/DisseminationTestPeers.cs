using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Tests.Channels;

/// <summary>Peers, snapshots and blocks for the dissemination core tests.</summary>
internal static class DisseminationTestPeers
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static PkiId Peer(int i) => PkiId.FromCertificate(BitConverter.GetBytes(i));

    public static ChannelPeerSet Snapshot(int count) =>
        new(Enumerable.Range(0, count).Select(i => new ChannelPeer(Peer(i), "Org1MSP", 0)));

    public static ByteString Block(ulong number) => ByteString.CopyFromUtf8($"block-{number}");

    public static ChannelDissemination Core(DisseminationCoreSettings? settings = null, int peers = 10, int self = 0, int seed = 7)
    {
        var core = new ChannelDissemination("ch1", Peer(self), settings ?? new DisseminationCoreSettings(), new Random(seed));
        core.UpdatePeers(Snapshot(peers));
        return core;
    }

    public static DataMessage Data(ulong number, uint pushTtl, uint digestTtl) =>
        new() { SeqNum = number, Block = Block(number), PushTtl = pushTtl, DigestTtl = digestTtl };

    public static List<GossipSend> Of(this DisseminationOutput output, GossipMessage.ContentOneofCase kind) =>
        output.Sends.Where(s => s.Message.ContentCase == kind).ToList();
}
