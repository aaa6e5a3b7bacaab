using Akka.Actor;
using Akka.TestKit;
using GossipActors.Ordering;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>
/// The broadcast client: it submits to an orderer and reports every answer, and it always reports, even when it cannot
/// reach its orderer or is stopped before it finished. Wire-checked (<see cref="WireCheckedSpec"/>): the client's
/// transactions and the orderer's answers are serialized and deserialized as between nodes.
/// </summary>
public sealed class BroadcastClientSpec : WireCheckedSpec
{
    private const string Channel = "ch";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "broadcast-client-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki _pki = new();

    public BroadcastClientSpec() : base("akka.loglevel = WARNING") { }

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            _pki.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    /// <summary>An orderer of one channel (Org1 writes) that accepts transactions of up to 1000 bytes.</summary>
    private IActorRef StartOrderer() =>
        Sys.ActorOf(OrdererActor.Props(_pki.Orderer(), _pki.Verifier,
            new OrdererOptions(new Dictionary<string, IReadOnlySet<string>> { [Channel] = new HashSet<string> { "Org1" } },
                new BatchLimits(MaxMessageCount: 10, AbsoluteMaxBytes: 1000, PreferredMaxBytes: 1000, BatchTimeout: TimeSpan.FromMilliseconds(200)),
                MaxPendingTransactions: 1000, DeliverWindow: 4, MaxDeliverStreams: 10,
                StreamIdleTimeout: TimeSpan.FromMinutes(1), RequestFreshness: TimeSpan.FromMinutes(5)),
            () => OrdererStore.Open(_directory), TimeProvider.System), OrdererNode.ActorName);

    [Fact]
    public async Task A_client_submits_every_transaction_pipelined_and_reports_each_answer_by_status()
    {
        var orderer = StartOrderer();
        var signer = _pki.Peer("Org1", "client0.org1");

        var accepted = await Broadcast.RunAsync(Sys, signer, orderer.Path.ToString(), Channel, count: 20, size: 100, inFlight: 5,
            answerTimeout: Dilated(TimeSpan.FromSeconds(30))).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));
        var tooLarge = await Broadcast.RunAsync(Sys, signer, orderer.Path.ToString(), Channel, count: 3, size: 1001, inFlight: 5,
            answerTimeout: Dilated(TimeSpan.FromSeconds(30))).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));

        Assert.Null(accepted.Error);
        Assert.Equal(20, accepted.Submitted);
        Assert.Equal(20, accepted.Accepted);
        Assert.Null(tooLarge.Error);
        Assert.Equal(3, tooLarge.Submitted);
        Assert.Equal(0, tooLarge.Accepted);
        Assert.Equal(3, tooLarge.ByStatus[BroadcastStatus.TooLarge]);
        orderer.Tell(GetOrdererStatus.Instance);
        Assert.Equal(20, ExpectMsg<OrdererStatus>().Accepted);
    }

    [Fact]
    public async Task A_client_that_cannot_reach_its_orderer_reports_why_without_submitting()
    {
        var nowhere = $"akka://{Sys.Name}/user/nobody";

        var report = await Broadcast.RunAsync(Sys, _pki.Peer("Org1", "client0.org1"), nowhere, Channel, count: 5, size: 100,
            answerTimeout: Dilated(TimeSpan.FromSeconds(2))).WaitAsync(Dilated(TimeSpan.FromSeconds(60)));

        Assert.Equal(0, report.Submitted);
        Assert.Contains($"cannot reach the orderer at {nowhere}", report.Error, StringComparison.Ordinal);
    }

    /// <summary>A client of <paramref name="orderer"/> (a probe standing in for it), started.</summary>
    private (IActorRef Client, Task<BroadcastReport> Report) StartClient(TestProbe orderer, int count, int inFlight)
    {
        var done = new TaskCompletionSource<BroadcastReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = Sys.ActorOf(BroadcastClient.Props(_pki.Peer("Org1", "client0.org1"), orderer.Ref.Path.ToString(), Channel,
            count, size: 100, inFlight, answerTimeout: Dilated(TimeSpan.FromSeconds(30)), done));
        client.Tell(new BroadcastClient.Start());
        return (client, done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(60))));
    }

    private static BroadcastTransaction Submitted(TestProbe orderer)
    {
        Assert.True(OrderingCodec.TryOpen(orderer.ExpectMsg<OrderingEnvelope>(TimeSpan.FromSeconds(20)), out var message, out var error), error);
        return message!.Broadcast;
    }

    /// <summary>
    /// A node that holds the client's reference (its orderer, or anyone the orderer passed it to) can send it an actor
    /// reference: a boundary system accepts actor references from other nodes (Identify needs them). The client took
    /// one as the outcome of resolving its orderer (PipeTo's default) and sent the rest of its transactions there.
    /// </summary>
    [Fact]
    public async Task An_actor_reference_sent_to_a_running_client_does_not_redirect_its_transactions()
    {
        var orderer = CreateTestProbe();
        var impostor = CreateTestProbe();
        var (client, report) = StartClient(orderer, count: 2, inFlight: 1);
        Assert.Equal(0UL, Submitted(orderer).Id);

        client.Tell(impostor.Ref, impostor.Ref);
        client.Tell(OrderingCodec.BroadcastAnswer(0, BroadcastStatus.Accepted, ""), orderer.Ref);

        Assert.Equal(1UL, Submitted(orderer).Id);
        client.Tell(OrderingCodec.BroadcastAnswer(1, BroadcastStatus.Accepted, ""), orderer.Ref);
        var done = await report;
        Assert.Null(done.Error);
        Assert.Equal(2, done.Accepted);
        impostor.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_client_counts_only_its_orderers_answers()
    {
        var orderer = CreateTestProbe();
        var stranger = CreateTestProbe();
        var (client, report) = StartClient(orderer, count: 1, inFlight: 1);
        Assert.Equal(0UL, Submitted(orderer).Id);

        client.Tell(OrderingCodec.BroadcastAnswer(0, BroadcastStatus.Accepted, ""), stranger.Ref);
        client.Tell(OrderingCodec.BroadcastAnswer(0, BroadcastStatus.Overloaded, "retry later"), orderer.Ref);

        var done = await report;
        Assert.Null(done.Error);
        Assert.Equal(1, done.Submitted);
        Assert.Equal(0, done.Accepted);
        Assert.Equal(1, done.ByStatus[BroadcastStatus.Overloaded]);
    }

    [Fact]
    public async Task A_client_stopped_before_it_finished_completes_its_report_with_an_error()
    {
        var done = new TaskCompletionSource<BroadcastReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Never started, and its orderer would take minutes to time out: only the stop can complete the report (as when
        // Akka.Remote shuts the client's system down after a refused TLS handshake).
        var client = Sys.ActorOf(BroadcastClient.Props(_pki.Peer("Org1", "client0.org1"), "akka://nowhere/user/orderer", Channel,
            count: 5, size: 100, inFlight: 5, answerTimeout: TimeSpan.FromMinutes(10), done));

        Sys.Stop(client);
        var report = await done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));

        Assert.Equal(0, report.Accepted);
        Assert.Contains("stopped before every transaction was answered", report.Error, StringComparison.Ordinal);
    }
}
