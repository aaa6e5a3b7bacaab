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
/// (who is in the channel, with which height) and <see cref="ChannelDissemination"/> (push and pull). It receives the
/// channel's inbound messages from comm and the alive view from membership, admits only alive peers of member orgs,
/// verifies every block (orderer signature, channel, number) before the cores store or forward it, commits blocks in
/// order to the ledger, publishes our signed state info, and drives the cores' timers.
/// </summary>
public sealed partial class ChannelActor : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly NodeIdentity _identity;
    private readonly ChannelOptions _options;
    private readonly IActorRef _comm;
    private readonly IActorRef _membershipActor;
    private readonly BlockVerifier _verifier;
    private readonly BlockCommitter _committer;
    private readonly TimeProvider _time;
    private readonly ChannelMembership _membership;
    private readonly ChannelDissemination _dissemination;
    private readonly ChannelCounters _counters = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SignedEnvelope? _lastStateInfo;
    private DateTimeOffset? _armedFor;
    private bool _left;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="openLedger">Opens the channel's ledger; called on every (re)start, the ledger is disposed on stop.</param>
    public ChannelActor(NodeIdentity identity, ChannelOptions options, ulong incarnation, IActorRef comm, IActorRef membership,
        BlockVerifier verifier, Func<string, IBlockLedger> openLedger, TimeProvider time, Random random)
    {
        var ledger = openLedger(options.Name);
        _identity = identity;
        _options = options;
        _comm = comm;
        _membershipActor = membership;
        _verifier = verifier;
        _committer = new BlockCommitter(ledger, options.PayloadBufferSize);
        _time = time;
        _membership = new ChannelMembership(options.Name, identity.PkiId, incarnation, options.Orgs, options.PublishStateInfoInterval);
        _dissemination = new ChannelDissemination(options.Name, identity.PkiId, options.Dissemination, random);
        _dissemination.UpdateLedgerHeight(ledger.Height);
        _membership.OnOwnHeight(ledger.Height, time.GetUtcNow());
        Active();
    }

    public static Props Props(NodeIdentity identity, ChannelOptions options, ulong incarnation, IActorRef comm, IActorRef membership,
        BlockVerifier verifier, Func<string, IBlockLedger> openLedger, TimeProvider time, Random random) =>
        Akka.Actor.Props.Create(() => new ChannelActor(identity, options, incarnation, comm, membership, verifier, openLedger, time, random));

    private string Channel => _options.Name;
    private IBlockLedger Ledger => _committer.Ledger;

    protected override void PreStart()
    {
        _comm.Tell(new Subscribe(Channel));
        _membershipActor.Tell(SubscribeMembership.Instance);
        Self.Tell(Tick.Instance);
    }

    protected override void PostStop() => Ledger.Dispose();

    private void Active()
    {
        Receive<Inbound>(OnInbound);
        Receive<MembershipSnapshot>(OnMembershipSnapshot);
        Receive<InjectBlock>(OnInjectBlock);
        Receive<LeaveChannel>(OnLeave);
        Receive<GetChannelStatus>(_ => Sender.Tell(Status()));
        Receive<Tick>(_ => OnTick());
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
        Receive<LeaveChannel>(_ => Sender.Tell(new ChannelLeft(Channel)));
        Receive<GetChannelStatus>(_ => Sender.Tell(Status()));
        Receive<Tick>(_ => { });
    }

    private void OnTick()
    {
        _armedFor = null;
        var now = _time.GetUtcNow();
        Carry(_dissemination.Tick(now), now);
        if (_membership.Tick(now) is { } stateInfo)
        {
            Publish(stateInfo);
        }
        Rearm(now);
    }

    private void OnMembershipSnapshot(MembershipSnapshot snapshot)
    {
        var before = _membership.View;
        _membership.UpdateAlive(snapshot.Alive.Select(a => (a.PkiId, a.Org)));
        _dissemination.UpdatePeers(_membership.View);
        if (_lastStateInfo is not null)
        {
            // Newcomers learn our height at once instead of at the next publish.
            foreach (var peer in _membership.View.Peers.Where(p => !before.Contains(p.Id)))
            {
                _comm.Tell(new SendTo(peer.Id, _lastStateInfo));
            }
        }
    }

    private void OnLeave(LeaveChannel message)
    {
        Publish(_membership.Leave(_time.GetUtcNow()));
        _left = true;
        Timers.CancelAll();
        _log.Info("Channel {Channel}: left at height {Height}", Channel, Ledger.Height);
        Become(LeftChannel);
        Sender.Tell(new ChannelLeft(Channel));
    }

    private ChannelStatus Status() => new(
        Channel,
        _left,
        Ledger.Height,
        Convert.ToHexStringLower(Ledger.LastHash.Span),
        _membership.View.Peers,
        _counters.Snapshot(_committer.ChainRejections, _dissemination.Counters.DuplicateBlocks));

    /// <summary>Signs our state info and sends it to every peer of the channel view.</summary>
    private void Publish(StateInfo stateInfo)
    {
        var message = new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateInfo = stateInfo };
        _lastStateInfo = EnvelopeCodec.Sign(message, _identity.Key);
        foreach (var peer in _membership.View.Peers)
        {
            _comm.Tell(new SendTo(peer.Id, _lastStateInfo));
        }
    }

    /// <summary>Carries the cores' output out: sends to comm, new blocks to the ledger; re-arms the timer.</summary>
    private void Carry(DisseminationOutput output, DateTimeOffset now)
    {
        foreach (var send in output.Sends)
        {
            // Data, digests, pull and requests are connection-level: comm sends them under the session MAC agreed in
            // the signed handshake (a few microseconds instead of an Ed25519 signature); blocks carry the orderer's.
            _comm.Tell(new SendTo(send.Target, EnvelopeCodec.Unsigned(send.Message)));
        }
        if (output.NewBlocks.Count > 0)
        {
            Commit(output.NewBlocks, now);
        }
        Rearm(now);
    }

    private void Rearm(DateTimeOffset now)
    {
        var due = Earliest(_dissemination.NextDue, _membership.NextPublishDue);
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
