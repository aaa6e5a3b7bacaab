using Akka.Actor;
using Akka.Event;
using GossipActors.Channels;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// Issue 9, acceptance 4, over real Akka.Remote with mutual TLS: a peer catching up by state transfer is answered by
/// hostile peers of its own org (real nodes with valid identities, speaking the real wire, whose ledgers spoil what
/// they serve): a forged orderer signature, a validly signed block with a wrong previous hash, and a validly signed
/// block of the wrong number. Each response is rejected, counted by reason (channel counters and /metrics), warned
/// about naming the sender, and its sender is not asked again in the round; the peer still catches up from the honest
/// peers with an intact hash chain. About 20 s on a quiet machine; every wait is a dilated deadline on a condition.
/// </summary>
public sealed class StateTransferHostileSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "ch";
    private const int Honest = 40;
    private const int Claimed = 50;

    // A round (checkInterval) longer than the test: an excluded sender stays excluded throughout. A response timeout
    // no loaded machine reaches: a request fails only by its answer, never by a timeout that would send it elsewhere.
    private static readonly string Victim = $$"""
        peer.channels = [{ name = "{{Channel}}", orgs = ["Org1"], ordererOrg = "OrdererOrg" }]
        peer.gossip.state { checkInterval = 5m, responseTimeout = 60s }
        """;

    // Honest and hostile peers never request (the hostile ones claim the highest height; the honest ones get every
    // block by injection and gossip), so every state request a hostile peer answers comes from the victim.
    private static readonly string Responder = Victim + "\npeer.gossip.state.enabled = false\n";

    private readonly RemotePeers _peers = new();

    public StateTransferHostileSpec() : base("akka.test.timefactor = 2")
    {
    }

    protected override void Dispose(bool disposing)
    {
        _peers.Dispose();
        base.Dispose(disposing);
    }

    private PeerNode Start(string name, int port, int bootstrap, string hocon, TamperingLedger? ledger = null) =>
        _peers.Add(_peers.Factory.Start(name, port, [bootstrap], extraHocon: hocon, ledgers: ledger is null ? null : _ => ledger));

    private static T Ask<T>(PeerNode node, object message) => node.Peer.Ask<T>(message, TimeSpan.FromSeconds(30)).Result;

    private static ChannelStatus Status(PeerNode node) => Ask<ChannelStatus>(node, new GetChannelStatus(Channel));

    private static string Hex(Block block) => Convert.ToHexStringLower(BlockHashes.HeaderHash(block).Span);

    private void AwaitHeight(PeerNode node, int height, Block last) =>
        AwaitAssert(() =>
        {
            var status = Status(node);
            Assert.Equal((ulong)height, status.Height);
            Assert.Equal(Hex(last), status.LastBlockHash);
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(250));

    /// <summary>Waits until <paramref name="node"/> has <paramref name="other"/> in its channel view (its state info).</summary>
    private void AwaitInView(PeerNode node, PeerNode other)
    {
        var id = Ask<MembershipSnapshot>(other, GetMembership.Instance).Self.PkiId;
        AwaitAssert(() => Assert.Contains(Status(node).Peers, p => p.Id == id), Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>
    /// Each block into both honest peers: they do not request what gossip missed (a send queue may overflow under load),
    /// so neither depends on gossip between them. The second may already have the block by gossip, and say so.
    /// </summary>
    private static void InjectAtBoth(PeerNode first, PeerNode second, IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            var result = Ask<InjectBlockResult>(first, new InjectBlock(Channel, block));
            Assert.True(result.Accepted, result.Detail);
            Ask<InjectBlockResult>(second, new InjectBlock(Channel, block));
        }
    }

    [Fact]
    public void A_peer_catching_up_rejects_forged_and_out_of_chain_responses_counts_them_and_asks_those_senders_no_more_in_the_round()
    {
        var orderer = _peers.Pki.Orderer();
        var chain = TestChain.Create(Channel, Claimed, orderer);
        var ports = Enumerable.Range(0, 6).Select(_ => LoopbackPorts.Next()).ToArray();

        // Two honest peers hold blocks 0..39; the victim, new, catches up from them.
        var honest1 = Start("peer0.org1", ports[0], ports[1], Responder);
        var honest2 = Start("peer1.org1", ports[1], ports[0], Responder);
        AwaitInView(honest1, honest2);
        AwaitInView(honest2, honest1);
        InjectAtBoth(honest1, honest2, chain.Take(Honest));
        AwaitHeight(honest2, Honest, chain[Honest - 1]);
        var victim = Start("peer2.org1", ports[2], ports[0], Victim);
        var warnings = CreateTestProbe();
        victim.System.EventStream.Subscribe(warnings.Ref, typeof(Warning));
        AwaitHeight(victim, Honest, chain[Honest - 1]);

        // Three hostile peers of the org claim height 50: blocks 40..49 are to be had only from them, so the victim
        // asks each in turn (one request in flight for the one range) and each answers with a spoiled range.
        var ledgers = new Dictionary<Tampering, TamperingLedger>();
        var hostiles = new Dictionary<Tampering, PeerNode>();
        foreach (var (tampering, i) in Enum.GetValues<Tampering>().Select((t, i) => (t, i)))
        {
            ledgers[tampering] = new TamperingLedger(Channel, chain, tampering, orderer);
            hostiles[tampering] = Start($"mallory{i}.org1", ports[3 + i], ports[0], Responder, ledgers[tampering]);
        }
        var reasons = new Dictionary<Tampering, string>
        {
            [Tampering.ForgedSignature] = nameof(BlockRejection.BadOrdererSignature),
            [Tampering.WrongPreviousHash] = "OutOfChain",
            [Tampering.WrongNumber] = "SeqNumMismatch",
        };
        AwaitAssert(() =>
        {
            var counters = Status(victim).Counters;
            Assert.Equal(3, counters.StateTransfer!.BadResponses);
            Assert.All(reasons.Values, reason => Assert.True(counters.BadBlocksByReason.GetValueOrDefault(reason) >= 1,
                $"{reason}: {counters.BadBlocksByReason.GetValueOrDefault(reason)}"));
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(250));
        Assert.Equal((ulong)Honest, Status(victim).Height);

        // Each rejection was warned about, naming the hostile sender.
        var unnamed = hostiles.Values.Select(h => h.Settings.Id).ToHashSet();
        while (unnamed.Count > 0)
        {
            var warning = warnings.FishForMessage<Warning>(w => unnamed.Any(name => Names(w, name)), Dilated(TimeSpan.FromSeconds(30)));
            unnamed.RemoveWhere(name => Names(warning, name));
        }

        // The honest peers get blocks 40..49; the victim takes them from the honest peers (gossip or state transfer),
        // never again from a hostile one: its chain is the orderer's, and no hostile peer was asked a second time.
        InjectAtBoth(honest1, honest2, chain.Skip(Honest));
        AwaitHeight(honest2, Claimed, chain[^1]);
        AwaitHeight(victim, Claimed, chain[^1]);
        var status = Status(victim);
        Assert.Equal(3, status.Counters.StateTransfer!.BadResponses);
        Assert.All(ledgers, l => Assert.True(l.Value.RangesServed == 1, $"{l.Key}: the hostile peer answered {l.Value.RangesServed} requests"));
        Assert.Equal(0, status.Counters.StateTransfer.Timeouts);

        // /metrics shows each rejection under its reason.
        var metrics = PrometheusText.Export(victim.Metrics);
        Assert.All(reasons.Values, reason =>
            Assert.Contains($"gossip_channel_bad_blocks_total{{channel=\"{Channel}\",reason=\"{reason}\"}}", metrics));
    }

    private static bool Names(Warning warning, string name)
    {
        var text = warning.Message.ToString() ?? "";
        return text.Contains(name, StringComparison.Ordinal) && text.Contains("state response", StringComparison.Ordinal);
    }
}
