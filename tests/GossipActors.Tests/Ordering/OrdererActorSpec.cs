using Akka.Actor;
using Akka.TestKit;
using GossipActors.Crypto;
using GossipActors.Ordering;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>
/// The orderer actor: broadcast answers, deliver streams with a window, access control, and restarts without loss.
/// Wire-checked (<see cref="WireCheckedSpec"/>): what clients and peers send it, and its answers, are serialized and
/// deserialized as between nodes.
/// </summary>
public sealed class OrdererActorSpec : WireCheckedSpec
{
    private static readonly BatchLimits Limits = new(MaxMessageCount: 1, AbsoluteMaxBytes: 1000, PreferredMaxBytes: 1000, BatchTimeout: TimeSpan.FromMilliseconds(200));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orderer-actor-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki _pki = new();
    private readonly NodeIdentity _orderer;
    private readonly NodeIdentity _peer;

    public OrdererActorSpec() : base("akka.loglevel = WARNING")
    {
        _orderer = _pki.Orderer();
        _peer = _pki.Peer("Org1", "peer0.org1");
    }

    private IActorRef StartOrderer(BatchLimits? limits = null, int window = 4, IReadOnlyList<string>? orgs = null, IReadOnlyList<string>? writers = null) =>
        Sys.ActorOf(OrdererActor.Props(_orderer, _pki.Verifier,
            new OrdererOptions(
                new Dictionary<string, IReadOnlySet<string>> { ["ch"] = (orgs ?? ["Org1"]).ToHashSet() },
                limits ?? Limits, MaxPendingTransactions: 1000, DeliverWindow: window, MaxDeliverStreams: 10,
                StreamIdleTimeout: TimeSpan.FromMinutes(1), RequestFreshness: TimeSpan.FromMinutes(5),
                Writers: writers is null ? null : new Dictionary<string, IReadOnlySet<string>> { ["ch"] = writers.ToHashSet() }),
            () => OrdererStore.Open(_directory), TimeProvider.System));

    private static ByteString Tx(int i) => ByteString.CopyFromUtf8($"tx-{i}");

    private static OrderingMessage Open(object message)
    {
        Assert.True(OrderingCodec.TryOpen(Assert.IsType<OrderingEnvelope>(message), out var opened, out var error), error);
        return opened!;
    }

    private BroadcastResponse Submit(IActorRef orderer, TestProbe client, string channel, ulong id, ByteString tx, NodeIdentity? signer = null) =>
        Send(orderer, client, OrderingCodec.Broadcast(channel, id, tx, signer ?? _peer), id);

    private static BroadcastResponse Send(IActorRef orderer, TestProbe client, OrderingEnvelope envelope, ulong id)
    {
        orderer.Tell(envelope, client.Ref);
        var response = Open(client.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(10))).BroadcastResponse;
        Assert.Equal(id, response.Id);
        return response;
    }

    private DeliverBlock ExpectBlock(TestProbe probe)
    {
        var message = Open(probe.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(10)));
        Assert.Equal(OrderingMessage.ContentOneofCase.DeliverBlock, message.ContentCase);
        return message.DeliverBlock;
    }

    [Fact]
    public void A_broadcast_is_answered_accepted_or_with_the_reason_it_was_refused()
    {
        var orderer = StartOrderer();
        var client = CreateTestProbe();

        Assert.Equal(BroadcastStatus.Accepted, Submit(orderer, client, "ch", 1, Tx(1)).Status);
        Assert.Equal(BroadcastStatus.TooLarge, Submit(orderer, client, "ch", 2, ByteString.CopyFrom(new byte[1001])).Status);
        Assert.Equal(BroadcastStatus.EmptyTransaction, Submit(orderer, client, "ch", 3, ByteString.Empty).Status);
        Assert.Equal(BroadcastStatus.UnknownChannel, Submit(orderer, client, "other", 4, Tx(4)).Status);

        orderer.Tell(GetOrdererStatus.Instance, client.Ref);
        var status = client.ExpectMsg<OrdererStatus>();
        Assert.Equal(1, status.Accepted);
        Assert.Equal(1, status.Rejected["TooLarge"]);
        Assert.Equal(1, status.Rejected["EmptyTransaction"]);
        Assert.Equal(1, status.Rejected["UnknownChannel"]);
    }

    [Fact]
    public void A_broadcast_not_signed_by_a_certified_member_of_a_writer_org_is_forbidden_and_counted_by_reason()
    {
        var orderer = StartOrderer(orgs: ["Org1", "Org2"], writers: ["Org1"]);
        var client = CreateTestProbe();
        var org2Member = _pki.Peer("Org2", "peer0.org2");
        var unsigned = OrderingCodec.Unsigned(new OrderingMessage
        {
            Broadcast = new BroadcastTransaction { Channel = "ch", Id = 2, Transaction = Tx(2), Certificate = _peer.Certificate.Bytes },
        });
        var tampered = OrderingCodec.Broadcast("ch", 3, Tx(3), _peer);
        var message = OrderingMessage.Parser.ParseFrom(tampered.Payload);
        message.Broadcast.Transaction = ByteString.CopyFromUtf8("another transaction");
        tampered.Payload = message.ToByteString();
        var impostor = OrderingCodec.Broadcast("ch", 4, Tx(4), org2Member);
        var impostorMessage = OrderingMessage.Parser.ParseFrom(impostor.Payload);
        impostorMessage.Broadcast.Certificate = _peer.Certificate.Bytes; // claims an Org1 certificate, signed with an Org2 key
        impostor.Payload = impostorMessage.ToByteString();

        Assert.Equal(BroadcastStatus.Accepted, Submit(orderer, client, "ch", 1, Tx(1)).Status);
        Assert.Equal(BroadcastStatus.Forbidden, Send(orderer, client, unsigned, 2).Status);
        Assert.Equal(BroadcastStatus.Forbidden, Send(orderer, client, tampered, 3).Status);
        Assert.Equal(BroadcastStatus.Forbidden, Send(orderer, client, impostor, 4).Status);
        var notWriter = Submit(orderer, client, "ch", 5, Tx(5), org2Member);
        Assert.Equal(BroadcastStatus.Forbidden, notWriter.Status);
        Assert.Contains("not of a writer organisation", notWriter.Info);
        Assert.Equal(BroadcastStatus.Forbidden, Submit(orderer, client, "ch", 6, Tx(6), _pki.Stranger()).Status);

        orderer.Tell(GetOrdererStatus.Instance, client.Ref);
        var status = client.ExpectMsg<OrdererStatus>();
        Assert.Equal(1, status.Accepted);
        Assert.Equal(1, status.Rejected["Unsigned"]);
        Assert.Equal(2, status.Rejected["BadSignature"]);
        Assert.Equal(1, status.Rejected["NotWriter"]);
        Assert.Equal(1, status.Rejected["BadCertificate"]);
    }

    [Fact]
    public void Every_member_org_of_a_channel_writes_to_it_when_no_writers_are_configured()
    {
        var orderer = StartOrderer(orgs: ["Org1", "Org2"]);
        var client = CreateTestProbe();

        Assert.Equal(BroadcastStatus.Accepted, Submit(orderer, client, "ch", 1, Tx(1)).Status);
        Assert.Equal(BroadcastStatus.Accepted, Submit(orderer, client, "ch", 2, Tx(2), _pki.Peer("Org2", "peer0.org2")).Status);
        Assert.Equal(BroadcastStatus.Forbidden, Submit(orderer, client, "ch", 3, Tx(3), _orderer).Status);
    }

    [Fact]
    public void A_deliver_stream_never_has_more_than_the_window_unacknowledged()
    {
        var orderer = StartOrderer(window: 4);
        var client = CreateTestProbe();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(BroadcastStatus.Accepted, Submit(orderer, client, "ch", (ulong)i, Tx(i)).Status);
        }
        var peer = CreateTestProbe();

        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow), peer.Ref);
        Assert.Equal([0UL, 1, 2, 3], Enumerable.Range(0, 4).Select(_ => ExpectBlock(peer).Number));
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        orderer.Tell(OrderingCodec.Ack("ch", 1), peer.Ref);
        Assert.Equal([4UL, 5], Enumerable.Range(0, 2).Select(_ => ExpectBlock(peer).Number));
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        orderer.Tell(OrderingCodec.Ack("ch", 5), peer.Ref);
        Assert.Equal([6UL, 7, 8, 9], Enumerable.Range(0, 4).Select(_ => ExpectBlock(peer).Number));
        orderer.Tell(OrderingCodec.Ack("ch", 9), peer.Ref);
        var idle = Open(peer.ExpectMsg<OrderingEnvelope>()).DeliverStatus;
        Assert.Equal(DeliverStatusCode.Idle, idle.Status);
        Assert.Equal(10UL, idle.Height);
    }

    [Fact]
    public void A_stream_from_a_later_height_starts_there_and_follows_new_blocks()
    {
        var orderer = StartOrderer();
        var client = CreateTestProbe();
        for (var i = 0; i < 3; i++)
        {
            Submit(orderer, client, "ch", (ulong)i, Tx(i));
        }
        var peer = CreateTestProbe();

        orderer.Tell(OrderingCodec.DeliverRequest("ch", 2, _peer, DateTimeOffset.UtcNow), peer.Ref);
        Assert.Equal(2UL, ExpectBlock(peer).Number);
        Submit(orderer, client, "ch", 3, Tx(3));

        var next = ExpectBlock(peer);
        Assert.Equal(3UL, next.Number);
        Assert.Equal(Tx(3), Block.Parser.ParseFrom(next.Block).Data.Transactions.Single());
    }

    [Fact]
    public void Deliver_requests_of_strangers_non_members_forged_or_stale_requests_are_refused_and_counted()
    {
        var orderer = StartOrderer();
        var peer = CreateTestProbe();
        var forged = OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow).Clone();
        forged.Signature = ByteString.CopyFrom(new byte[forged.Signature.Length]);

        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _pki.Stranger(), DateTimeOffset.UtcNow), peer.Ref);
        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _pki.Peer("Org2", "peer0.org2"), DateTimeOffset.UtcNow), peer.Ref);
        orderer.Tell(forged, peer.Ref);
        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow.AddHours(-1)), peer.Ref);
        orderer.Tell(OrderingCodec.DeliverRequest("nope", 0, _peer, DateTimeOffset.UtcNow), peer.Ref);

        var answers = Enumerable.Range(0, 5).Select(_ => Open(peer.ExpectMsg<OrderingEnvelope>()).DeliverStatus.Status).ToList();
        Assert.Equal([DeliverStatusCode.Forbidden, DeliverStatusCode.Forbidden, DeliverStatusCode.Forbidden, DeliverStatusCode.Forbidden, DeliverStatusCode.NotFound], answers);
        orderer.Tell(GetOrdererStatus.Instance, peer.Ref);
        var rejected = peer.ExpectMsg<OrdererStatus>().Rejected;
        Assert.Equal(1, rejected["BadCertificate"]);
        Assert.Equal(1, rejected["NotChannelMember"]);
        Assert.Equal(1, rejected["BadSignature"]);
        Assert.Equal(1, rejected["StaleRequest"]);
        Assert.Equal(1, rejected["UnknownChannel"]);
    }

    [Fact]
    public void A_cancelled_stream_is_closed_at_once_and_gets_no_more_blocks_while_other_streams_go_on()
    {
        var orderer = StartOrderer(window: 4);
        var client = CreateTestProbe();
        Submit(orderer, client, "ch", 0, Tx(0));
        var leaver = CreateTestProbe();
        var stayer = CreateTestProbe();
        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow), leaver.Ref);
        orderer.Tell(OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow), stayer.Ref);
        Assert.Equal(0UL, ExpectBlock(leaver).Number);
        Assert.Equal(0UL, ExpectBlock(stayer).Number);

        orderer.Tell(OrderingCodec.Cancel("other"), leaver.Ref); // another channel's cancel closes nothing
        orderer.Tell(OrderingCodec.Cancel("ch"), leaver.Ref);
        for (var i = 1; i <= 3; i++)
        {
            Submit(orderer, client, "ch", (ulong)i, Tx(i)); // within the window: an open stream would get each one
        }

        Assert.Equal([1UL, 2, 3], Enumerable.Range(0, 3).Select(_ => ExpectBlock(stayer).Number));
        orderer.Tell(GetOrdererStatus.Instance, client.Ref);
        var status = client.ExpectMsg<OrdererStatus>();
        Assert.Equal(1, status.DeliverStreams);
        Assert.Equal(5, status.BlocksSent); // 1 to the leaver before it cancelled, 4 to the stayer
        leaver.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        orderer.Tell(OrderingCodec.Ack("ch", 0), leaver.Ref); // the stream is gone, not paused
        Assert.Equal(DeliverStatusCode.NoStream, Open(leaver.ExpectMsg<OrderingEnvelope>()).DeliverStatus.Status);
    }

    [Fact]
    public void An_acknowledgement_without_a_stream_is_answered_NO_STREAM()
    {
        var orderer = StartOrderer();
        var peer = CreateTestProbe();

        orderer.Tell(OrderingCodec.Ack("ch", 3), peer.Ref);

        Assert.Equal(DeliverStatusCode.NoStream, Open(peer.ExpectMsg<OrderingEnvelope>()).DeliverStatus.Status);
    }

    [Fact]
    public void Every_accepted_transaction_is_in_a_block_after_the_orderer_restarts()
    {
        // Blocks of 10 and a batch timeout that never fires: 15 accepted leave 5 pending when the orderer stops.
        var first = StartOrderer(Limits with { MaxMessageCount = 10, BatchTimeout = TimeSpan.FromHours(1) });
        var client = CreateTestProbe();
        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(BroadcastStatus.Accepted, Submit(first, client, "ch", (ulong)i, Tx(i)).Status);
        }
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var second = StartOrderer(Limits with { MaxMessageCount = 10, BatchTimeout = TimeSpan.FromMilliseconds(100) }, window: 16);
        var peer = CreateTestProbe();
        second.Tell(OrderingCodec.DeliverRequest("ch", 0, _peer, DateTimeOffset.UtcNow), peer.Ref);
        var transactions = new List<ByteString>();
        foreach (var expected in new ulong[] { 0, 1 })
        {
            var block = ExpectBlock(peer);
            Assert.Equal(expected, block.Number);
            transactions.AddRange(Block.Parser.ParseFrom(block.Block).Data.Transactions);
        }

        Assert.Equal(Enumerable.Range(0, 15).Select(Tx), transactions);
        second.Tell(GetOrdererStatus.Instance, peer.Ref);
        Assert.Equal(5, peer.ExpectMsg<OrdererStatus>().Recovered);
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
}
