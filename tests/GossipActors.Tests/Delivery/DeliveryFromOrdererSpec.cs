using Akka.Actor;
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
/// A delivery actor (child of the test actor, its channel) against a real orderer actor at
/// akka.tcp://orderer@127.0.0.1:PORT/user/orderer in this spec's own actor system, wire-checked
/// (<see cref="WireCheckedSpec"/>): the deliver request, the blocks, the acknowledgements and the cancel travel as
/// they do between a peer and the orderer, serialized and deserialized, not as shared objects.
/// </summary>
public sealed class DeliveryFromOrdererSpec : WireCheckedSpec
{
    private const string Channel = "ch";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "delivery-orderer-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki _pki = new();
    private readonly NodeIdentity _peer;
    private readonly IActorRef _orderer;
    private readonly string _endpoint;

    public DeliveryFromOrdererSpec() : base("""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """, "orderer")
    {
        _peer = _pki.Peer("Org1", "peer0.org1");
        // One transaction per block and a window of 2: the third block leaves the orderer only after an acknowledgement.
        _orderer = Sys.ActorOf(OrdererActor.Props(_pki.Orderer(), _pki.Verifier,
            new OrdererOptions(new Dictionary<string, IReadOnlySet<string>> { [Channel] = new HashSet<string> { "Org1" } },
                new BatchLimits(MaxMessageCount: 1, AbsoluteMaxBytes: 1000, PreferredMaxBytes: 1000, BatchTimeout: TimeSpan.FromMilliseconds(200)),
                MaxPendingTransactions: 1000, DeliverWindow: 2, MaxDeliverStreams: 10,
                StreamIdleTimeout: TimeSpan.FromMinutes(5), RequestFreshness: TimeSpan.FromMinutes(5)),
            () => OrdererStore.Open(_directory), TimeProvider.System), OrdererNode.ActorName);
        _endpoint = $"127.0.0.1:{((ExtendedActorSystem)Sys).Provider.DefaultAddress.Port}";
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _pki.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private OrdererStatus OrdererStatus()
    {
        _orderer.Tell(GetOrdererStatus.Instance);
        return ExpectMsg<OrdererStatus>(Dilated(TimeSpan.FromSeconds(10)));
    }

    private static ChannelStatus Height(ulong height) =>
        new(Channel, false, height, "", [], new ChannelCountersSnapshot(new Dictionary<ChannelRejection, long>(), new Dictionary<string, long>(), 0, 0, 0, 0, 0));

    [Fact]
    public async Task A_leader_pulls_the_orderers_blocks_in_order_acknowledging_each_and_closes_its_stream_when_it_stops_leading()
    {
        var submitted = await Broadcast.RunAsync(Sys, _peer, _orderer.Path.ToString(), Channel, count: 3, size: 100, inFlight: 3,
            answerTimeout: Dilated(TimeSpan.FromSeconds(30))).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal(3, submitted.Accepted);
        AwaitAssert(() => Assert.Equal(3UL, OrdererStatus().Heights[Channel]), Dilated(TimeSpan.FromSeconds(20)));
        // connTimeout 60 s: no keepalive and no silence timeout within this test, however loaded the machine.
        var delivery = ChildActorOf(DeliveryActor.Props(Channel, _peer,
            new BlockVerifier(_pki.Verifier, new HashSet<string> { "OrdererOrg" }),
            new DeliveryOptions([_endpoint], "akka.tcp", StaticLeader: true, BlockGossipEnabled: true,
                ConnTimeout: TimeSpan.FromSeconds(60), ReConnectBackoffThreshold: TimeSpan.FromSeconds(1),
                ReconnectTotalTimeThreshold: TimeSpan.FromMinutes(5)),
            TimeProvider.System));

        delivery.Tell(new LeadershipChanged(Channel, true, _peer.PkiId));
        ExpectMsg<GetChannelStatus>(Dilated(TimeSpan.FromSeconds(10)));
        LastSender.Tell(Height(0));

        var previous = ByteString.Empty;
        for (var number = 0UL; number < 3; number++)
        {
            var block = ExpectMsg<VerifiedBlock>(Dilated(TimeSpan.FromSeconds(20)));
            Assert.Equal(number, block.Number);
            var header = BlockHeader.Parser.ParseFrom(block.Block.HeaderBytes);
            Assert.Equal(number, header.Number);
            Assert.Equal(previous, header.PreviousHash); // the chain the orderer cut, intact after the wire
            previous = BlockHashes.HeaderHash(block.Block);
            delivery.Tell(new InjectBlockResult(Channel, number, true, "committed"));
        }
        AwaitAssert(() => Assert.Equal(1, OrdererStatus().DeliverStreams), Dilated(TimeSpan.FromSeconds(10)));

        delivery.Tell(new LeadershipChanged(Channel, false, null));

        AwaitAssert(() => Assert.Equal(0, OrdererStatus().DeliverStreams), Dilated(TimeSpan.FromSeconds(10)));
        var status = OrdererStatus();
        Assert.Equal(3, status.BlocksSent);
        Assert.Empty(status.Rejected);
        delivery.Tell(new GetDeliveryStatus(Channel));
        var delivered = ExpectMsg<DeliveryStatus>();
        Assert.Equal(3, delivered.Received);
        Assert.Equal(3UL, delivered.NextBlock);
        Assert.Empty(delivered.Rejected);
    }
}
