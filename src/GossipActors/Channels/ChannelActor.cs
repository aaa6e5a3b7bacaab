using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// One joined channel at one peer (/user/peer/channel-&lt;name&gt;): the shell around <see cref="ChannelMembership"/>
/// (who joined the channel, with which height; our state info) and <see cref="ChannelDissemination"/> (push and pull
/// among the channel's peers of our org). It receives the channel's inbound messages from comm and the alive view
/// from membership, admits block traffic only from channel peers of our org, verifies every block (orderer signature,
/// channel, number) before the cores store or forward it, commits blocks in order to the ledger, and drives the
/// cores' timers. What must survive a restart does: the ledger (reopened), and the state info sequence (taken from
/// the clock, so a restarted actor never repeats an (incarnation, sequence) it sent before).
/// </summary>
public sealed partial class ChannelActor : ReceiveActor, IWithTimers
{
    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private readonly ChannelActorContext _context;
    private readonly ChannelOptions _options;
    private readonly CommitPipeline _pipeline;
    private readonly IActorRef _ledger;
    private readonly StateTransferPlanner _stateTransfer;
    private readonly CatchUpReport _catchUp;
    private readonly ChannelMembership _membership;
    private readonly ChannelDissemination _dissemination;
    private readonly ChannelCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WarningRateLimiter _warnings = new(WarningRateLimiter.DefaultInterval);
    private SignedEnvelope? _lastStateInfo;
    private DateTimeOffset? _armedFor;
    private bool _left;

    public ITimerScheduler Timers { get; set; } = null!;

    public ChannelActor(ChannelOptions options, ChannelActorContext context)
    {
        var ledger = context.OpenLedger(options.Name);
        _context = context;
        _options = options;
        _pipeline = new CommitPipeline(ledger.Height, ledger.LastHash, options.PayloadBufferSize);
        _ledger = Context.ActorOf(LedgerActor.Props(ledger, context.Comm), "ledger");
        _catchUp = new CatchUpReport(options.Name);
        _stateTransfer = new StateTransferPlanner(options.StateTransferOrDefault, context.Identity.PkiId,
            new Random(context.Random.Next()), context.Time.GetUtcNow());
        _counters = new ChannelCounters(context.Metrics, options.Name);
        var identity = context.Identity;
        _membership = new ChannelMembership(options.Name, identity.PkiId, identity.MspId, context.ExternalEndpoint,
            context.Incarnation, options.Orgs, options.StateInfo, context.Time, context.Random);
        _dissemination = new ChannelDissemination(options.Name, identity.PkiId, options.Dissemination, context.Random);
        _dissemination.UpdatePeers(_membership.SameOrg); // updated in place by the membership core
        _dissemination.UpdateLedgerHeight(ledger.Height);
        _membership.OnOwnHeight(ledger.Height);
        _counters.Height(ledger.Height);
        StartElection(options, context);
        Active();
    }

    public static Props Props(ChannelOptions options, ChannelActorContext context) =>
        Akka.Actor.Props.Create(() => new ChannelActor(options, context));

    private string Channel => _options.Name;
    private IActorRef Comm => _context.Comm;
    private DateTimeOffset Now => _context.Time.GetUtcNow();

    protected override void PreStart()
    {
        Comm.Tell(new Subscribe(Channel));
        _context.Membership.Tell(SubscribeMembership.Instance);
        Self.Tell(Tick.Instance);
        StartDelivery();
    }

    /// <summary>
    /// A disk error in the ledger actor restarts the whole channel, which reopens the ledger at its last commit; other
    /// children (delivery) are restarted alone.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex =>
        ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidDataException ? Directive.Escalate : Directive.Restart);

    private void Active()
    {
        Receive<Inbound>(OnInbound);
        Receive<MembershipSnapshot>(OnMembershipSnapshot);
        Receive<InjectBlock>(OnInjectBlock);
        Receive<Delivery.VerifiedBlock>(OnVerifiedBlock);
        Receive<LeaveChannel>(OnLeave);
        Receive<GetChannelStatus>(_ => Sender.Tell(Status()));
        Receive<GetRecentBlocks>(_ => Sender.Tell(new RecentBlocks(Channel, _recentBlocks.Recent())));
        Receive<Tick>(_ => OnTick());
        LeadershipReceives();
        Receive<BlocksWritten>(OnBlocksWritten);
        Receive<RangeServed>(OnRangeServed);
        DeliveryReceives();
    }

    /// <summary>After leaving: nothing is served or gossiped; inbound is counted and dropped; status still answers.</summary>
    private void LeftChannel()
    {
        Receive<Inbound>(m =>
        {
            _counters.Rejected(ChannelRejection.ChannelLeft);
            _log.Debug("Channel {Channel}: dropped {Kind} from {Sender}: we left the channel", Channel, m.Message.ContentCase, m.Sender);
        });
        Receive<MembershipSnapshot>(_ => { });
        Receive<InjectBlock>(m => Sender.Tell(new InjectBlockResult(Channel, 0, false, $"this peer left channel '{Channel}'")));
        Receive<Delivery.VerifiedBlock>(m => Sender.Tell(new InjectBlockResult(Channel, m.Number, false, $"this peer left channel '{Channel}'")));
        Receive<LeaveChannel>(_ => Sender.Tell(new ChannelLeft(Channel)));
        Receive<GetChannelStatus>(_ => Sender.Tell(Status()));
        Receive<GetRecentBlocks>(_ => Sender.Tell(new RecentBlocks(Channel, _recentBlocks.Recent())));
        Receive<Tick>(_ => { });
        Receive<LeadershipChanged>(OnLeadershipChanged);
        Receive<Election.RequestElectionPeers>(_ => Sender.Tell(new Election.ElectionPeers([])));
        Receive<OrdererUnreachable>(_ => { });
        Receive<Election.EndpointSuspected>(_ => { });
        Receive<Election.GetElectionStatus>(m => _election.Forward(m));
        Receive<BlocksWritten>(OnBlocksWritten);
        Receive<RangeServed>(OnRangeServed);
    }

    private void OnTick()
    {
        _armedFor = null;
        var now = Now;
        Carry(_dissemination.Tick(now), now);
        var (publish, pull) = _membership.Tick(now);
        if (publish is not null)
        {
            PublishOwn(publish);
        }
        if (pull is { } request)
        {
            SendStateInfoKind(request.Target, new GossipMessage { StateInfoPullReq = request.Request });
        }
        UpdateElectionPeers(); // state info may have expired
        _stateTransfer.Tick(now, _membership.Peers);
        RequestMissingBlocks(now);
        Rearm(now);
    }

    private void OnMembershipSnapshot(MembershipSnapshot snapshot)
    {
        var newcomers = _membership.UpdateAlive(snapshot.Alive.Select(a => new AlivePeer(a.PkiId, a.Org, a.ExternalEndpoint.Length > 0)));
        RememberEndpoints(snapshot);
        UpdateElectionPeers();
        if (_lastStateInfo is not null)
        {
            // Newcomers learn our height at once instead of at their next pull.
            foreach (var peer in newcomers)
            {
                SendStateInfo(peer, _lastStateInfo);
            }
        }
    }

    private void OnLeave(LeaveChannel message)
    {
        var left = Sign(_membership.Leave(Now));
        foreach (var peer in _membership.AllTargets)
        {
            SendStateInfo(peer, left);
        }
        _left = true;
        Context.Stop(_election);
        Timers.CancelAll();
        StopDelivery();
        _log.Info("Channel {Channel}: left at height {Height}", Channel, _pipeline.CommittedHeight);
        Become(LeftChannel);
        Sender.Tell(new ChannelLeft(Channel));
    }

    private ChannelStatus Status() => new(
        Channel,
        _left,
        _pipeline.CommittedHeight,
        Convert.ToHexStringLower(_pipeline.CommittedHash.Span),
        [.. _membership.Peers.Peers],
        _counters.Snapshot(_pipeline.ChainRejections, _dissemination.Counters, _stateTransfer.Counters),
        _leadership?.IsLeader ?? false,
        _leadership?.Leader)
    {
        LastBlockLatencyMs = _recentBlocks.Last?.LatencyMs,
        OrdererBlocksReceived = _counters.OrdererBlocksReceived,
    };

    /// <summary>Carries the cores' output out: sends to comm, new blocks to the ledger (noted as arrived from
    /// <paramref name="source"/>); re-arms the timer.</summary>
    private void Carry(DisseminationOutput output, DateTimeOffset now, BlockSource source = BlockSource.StateTransfer)
    {
        foreach (var send in output.Sends)
        {
            if (!GossipAllows(send.Message.ContentCase))
            {
                continue;
            }
            // Data, digests, pull and requests are connection-level: comm sends them under the session MAC agreed in
            // the signed handshake (a few microseconds instead of an Ed25519 signature); blocks carry the orderer's.
            Comm.Tell(new SendTo(send.Target, EnvelopeCodec.Unsigned(send.Message)));
        }
        if (output.NewBlocks.Count > 0)
        {
            Commit(output.NewBlocks, now, source);
        }
        _counters.Export(_dissemination.Counters);
        Rearm(now);
    }

    private void Rearm(DateTimeOffset now)
    {
        var due = Earliest(Earliest(_dissemination.NextDue, _membership.NextDue), _left ? null : _stateTransfer.NextDue);
        if (due is null || due == _armedFor)
        {
            return;
        }
        _armedFor = due;
        var delay = due.Value - now;
        Timers.StartSingleTimer("tick", Tick.Instance, delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
