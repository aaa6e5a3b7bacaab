using Akka.Actor;
using Akka.TestKit;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Delivery;
using GossipActors.Ordering;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Delivery;

/// <summary>
/// The delivery actor as a child of the test actor (its channel), against a probe standing in for the orderer at
/// akka.tcp://orderer@127.0.0.1:PORT/user/orderer (this test's own actor system, remote on port 0). Wire-checked
/// (<see cref="WireCheckedSpec"/>): every message between the delivery actor, its channel and the orderer is
/// serialized and deserialized as between nodes.
/// </summary>
public sealed class DeliveryActorSpec : WireCheckedSpec
{
    private const string Channel = "ch";
    private readonly TestPki _pki = new();
    private readonly NodeIdentity _orderer;
    private readonly NodeIdentity _peer;
    private readonly TestProbe _ordererProbe;
    private readonly string _endpoint;
    private readonly IActorRef _ordererActor;

    public DeliveryActorSpec() : base("""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """, "orderer")
    {
        _orderer = _pki.Orderer();
        _peer = _pki.Peer("Org1", "peer0.org1");
        _ordererProbe = CreateTestProbe();
        _ordererActor = Sys.ActorOf(Props.Create(() => new Forwarder(_ordererProbe.Ref)), OrdererNode.ActorName);
        _endpoint = $"127.0.0.1:{((ExtendedActorSystem)Sys).Provider.DefaultAddress.Port}";
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    /// <summary>
    /// A connTimeout longer than any test here: the delivery actor sends a keepalive (an acknowledgement) every
    /// connTimeout, and on a loaded machine a short one slips in between the messages a test expects. Tests of the
    /// keepalive and of silence set a short one.
    /// </summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    private IActorRef StartDelivery(TimeSpan? connTimeout = null, TimeSpan? reconnectTotalTimeThreshold = null) =>
        ChildActorOf(DeliveryActor.Props(Channel, _peer,
            new BlockVerifier(_pki.Verifier, new HashSet<string> { "OrdererOrg" }),
            new DeliveryOptions([_endpoint], "akka.tcp", StaticLeader: true, BlockGossipEnabled: true,
                ConnTimeout: connTimeout ?? Quiet, ReConnectBackoffThreshold: TimeSpan.FromMilliseconds(200),
                ReconnectTotalTimeThreshold: reconnectTotalTimeThreshold ?? Quiet),
            TimeProvider.System));

    private static ChannelStatus Height(ulong height) =>
        new(Channel, false, height, "", [], new ChannelCountersSnapshot(new Dictionary<ChannelRejection, long>(), new Dictionary<string, long>(), 0, 0, 0, 0, 0));

    private List<Block> Chain(int count) => TestChain.Create(Channel, count, _orderer);

    private static OrderingEnvelope Delivered(Block block, ulong? number = null) =>
        OrderingCodec.Unsigned(new OrderingMessage
        {
            DeliverBlock = new DeliverBlock { Channel = Channel, Number = number ?? DeliverNumber(block), Block = block.ToByteString() },
        });

    private static ulong DeliverNumber(Block block) => BlockHeader.Parser.ParseFrom(block.HeaderBytes).Number;

    private static OrderingMessage Open(OrderingEnvelope envelope)
    {
        Assert.True(OrderingCodec.TryOpen(envelope, out var message, out var error), error);
        return message!;
    }

    /// <summary>Leads: answers the height question and returns the deliver request the orderer probe got.</summary>
    private (IActorRef Delivery, DeliverRequest Request) Lead(ulong height, IActorRef? existing = null, TimeSpan? connTimeout = null,
        TimeSpan? reconnectTotalTimeThreshold = null)
    {
        var delivery = existing ?? StartDelivery(connTimeout, reconnectTotalTimeThreshold);
        if (existing is null)
        {
            delivery.Tell(new LeadershipChanged(Channel, true, _peer.PkiId), TestActor);
        }
        ExpectMsg<GetChannelStatus>(TimeSpan.FromSeconds(10));
        LastSender.Tell(Height(height));
        var request = Open(_ordererProbe.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(10)));
        Assert.Equal(OrderingMessage.ContentOneofCase.DeliverRequest, request.ContentCase);
        return (delivery, request.DeliverRequest);
    }

    [Fact]
    public void A_peer_that_does_not_lead_never_contacts_the_orderer()
    {
        var delivery = StartDelivery();

        delivery.Tell(new LeadershipChanged(Channel, false, null));

        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        _ordererProbe.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_leader_requests_from_its_ledger_height_hands_verified_blocks_to_its_channel_and_acknowledges_each_one_taken()
    {
        var chain = Chain(5);
        var (delivery, request) = Lead(height: 3);

        Assert.Equal(3UL, request.Start);
        Assert.Equal(_peer.Certificate.Bytes, request.Certificate);
        delivery.Tell(Delivered(chain[3]), _ordererActor);
        delivery.Tell(Delivered(chain[4]), _ordererActor);

        var third = ExpectMsg<VerifiedBlock>();
        Assert.Equal(3UL, third.Number);
        Assert.Equal(3UL, DeliverNumber(third.Block));
        Assert.Equal(chain[3].ToByteString(), third.Bytes); // the orderer's bytes, handed on, not re-encoded
        delivery.Tell(new InjectBlockResult(Channel, 3, true, "committed"));
        Assert.Equal(4UL, DeliverNumber(ExpectMsg<VerifiedBlock>().Block));
        delivery.Tell(new InjectBlockResult(Channel, 4, true, "committed"));
        var acks = _ordererProbe.ReceiveWhile(TimeSpan.FromSeconds(5), m => Open((OrderingEnvelope)m).DeliverAck, 2).ToList();
        Assert.Equal([3UL, 4], acks.Select(a => a.Number));
        Assert.All(acks, a => Assert.True(a.HasNumber));
    }

    [Fact]
    public void A_forged_block_is_refused_counted_and_the_stream_is_reopened_from_the_ledger_height()
    {
        var chain = Chain(2);
        var (delivery, _) = Lead(height: 0);
        var forged = chain[0].Clone();
        forged.Data.Transactions[0] = ByteString.CopyFromUtf8("forged");

        delivery.Tell(Delivered(forged), _ordererActor);

        // The stream it gives up is closed at the orderer before it asks again.
        Assert.Equal(OrderingMessage.ContentOneofCase.DeliverCancel, Open(_ordererProbe.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(10))).ContentCase);
        var (_, again) = Lead(height: 0, existing: delivery);
        Assert.Equal(0UL, again.Start);
        ExpectNoMsg(TimeSpan.Zero);
        delivery.Tell(new GetDeliveryStatus(Channel));
        var status = ExpectMsg<DeliveryStatus>();
        Assert.Equal(1, status.Rejected[nameof(BlockRejection.BadDataHash)]);
        Assert.Equal(0, status.Received);
    }

    [Fact]
    public void Losing_leadership_closes_the_stream_at_the_orderer_stops_pulling_and_blocks_still_in_flight_go_nowhere()
    {
        var chain = Chain(1);
        var (delivery, _) = Lead(height: 0, connTimeout: TimeSpan.FromSeconds(2)); // a keepalive every 2 s while it leads

        delivery.Tell(new LeadershipChanged(Channel, false, null));
        delivery.Tell(Delivered(chain[0]), _ordererActor);

        // Keepalives sent while it still led may come first; then the cancel.
        var cancel = Open(_ordererProbe.FishForMessage<OrderingEnvelope>(m => Open(m).ContentCase != OrderingMessage.ContentOneofCase.DeliverAck,
            TimeSpan.FromSeconds(10)));
        Assert.Equal(OrderingMessage.ContentOneofCase.DeliverCancel, cancel.ContentCase);
        Assert.Equal(Channel, cancel.DeliverCancel.Channel);
        Assert.Equal(delivery, _ordererProbe.LastSender); // the orderer closes the stream of the client that asks
        ExpectNoMsg(TimeSpan.FromSeconds(4.5)); // two keepalive periods: no inject, no new height question
        _ordererProbe.ExpectNoMsg(TimeSpan.Zero); // no keepalive or ack after the stop
        delivery.Tell(new GetDeliveryStatus(Channel));
        Assert.False(ExpectMsg<DeliveryStatus>().Active);
    }

    [Fact]
    public void A_delivery_that_stops_while_pulling_closes_its_stream_at_the_orderer()
    {
        var (delivery, _) = Lead(height: 0);

        Sys.Stop(delivery);

        var cancel = Open(_ordererProbe.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(10)));
        Assert.Equal(OrderingMessage.ContentOneofCase.DeliverCancel, cancel.ContentCase);
        Assert.Equal(Channel, cancel.DeliverCancel.Channel);
    }

    [Fact]
    public void A_silent_orderer_is_left_and_the_channel_hears_it_is_unreachable_after_reconnectTotalTimeThreshold()
    {
        var (delivery, _) = Lead(height: 7, connTimeout: TimeSpan.FromSeconds(2), reconnectTotalTimeThreshold: TimeSpan.FromSeconds(4));

        // Nothing answers: after 2 x connTimeout of silence the client reconnects from the height the channel gives.
        ExpectMsg<GetChannelStatus>(TimeSpan.FromSeconds(20));
        LastSender.Tell(Height(8));
        var again = _ordererProbe.FishForMessage<OrderingEnvelope>(m => Open(m).ContentCase == OrderingMessage.ContentOneofCase.DeliverRequest,
            TimeSpan.FromSeconds(20));
        Assert.Equal(8UL, Open(again).DeliverRequest.Start);
        var unreachable = FishForMessage(m =>
        {
            if (m is GetChannelStatus)
            {
                LastSender.Tell(Height(8));
            }
            return m is OrdererUnreachable;
        }, TimeSpan.FromSeconds(40));
        Assert.Equal(Channel, ((OrdererUnreachable)unreachable).Channel);
        delivery.Tell(new GetDeliveryStatus(Channel));
        Assert.True(FishForMessage(m => m is DeliveryStatus, TimeSpan.FromSeconds(5)) is DeliveryStatus { Reconnects: >= 2, Connected: false });
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _pki.Dispose();
    }
}
