using Akka.Actor;
using Akka.Event;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using WirePeerTime = GossipActors.Protocol.Wire.PeerTime;

namespace GossipActors.Election;

/// <summary>
/// Leader election of our org on one channel (/user/peer/channel-&lt;name&gt;/election): the shell around
/// <see cref="LeaderElectionCore"/>. It takes the org's channel peers and the leadership messages from its channel
/// actor, checks who sent them (own org, in the view, about its signer), drives the core's timer, signs the core's
/// proposals and declarations and sends them to the org's channel peers only, and tells its parent every
/// <see cref="LeadershipChanged"/>. Static leadership (useLeaderElection = false) is told once at start and never
/// changes; a static leader ignores <see cref="OrdererUnreachable"/> (its delivery keeps retrying).
/// Restarts lose nothing that matters: the core starts afresh, asks for the peers, and sequence numbers follow the
/// clock (<see cref="Discovery.PeerTime.NextSequence"/>), so they never repeat.
/// </summary>
public sealed class ElectionActor : ReceiveActor, IWithTimers
{
    private sealed record Tick : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private readonly NodeIdentity _identity;
    private readonly string _channel;
    private readonly ElectionOptions _options;
    private readonly ulong _incarnation;
    private readonly IActorRef _comm;
    private readonly TimeProvider _time;
    private readonly ElectionMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LeaderElectionCore? _core;
    private ulong _sequence;
    private Leadership _leadership = Leadership.None;

    public ITimerScheduler Timers { get; set; } = null!;

    public ElectionActor(NodeIdentity identity, string channel, ElectionOptions options, ulong incarnation, IActorRef comm,
        TimeProvider time, ElectionMetrics metrics)
    {
        _identity = identity;
        _channel = channel;
        _options = options;
        _incarnation = incarnation;
        _comm = comm;
        _time = time;
        _metrics = metrics;
        if (options.UseLeaderElection)
        {
            Dynamic();
        }
        else
        {
            Static();
        }
    }

    public static Props Props(NodeIdentity identity, string channel, ElectionOptions options, ulong incarnation, IActorRef comm,
        TimeProvider time, ElectionMetrics metrics) =>
        Akka.Actor.Props.Create(() => new ElectionActor(identity, channel, options, incarnation, comm, time, metrics));

    protected override void PreStart()
    {
        if (_options.UseLeaderElection)
        {
            var now = _time.GetUtcNow();
            _core = new LeaderElectionCore(_identity.PkiId, _options.Core, now);
            Report(Leadership.None, force: true);
            Context.Parent.Tell(RequestElectionPeers.Instance);
            Carry(_core.Tick(now), now);
        }
        else
        {
            var leadership = new Leadership(_options.OrgLeader, _options.OrgLeader ? _identity.PkiId : null);
            _log.Info("Channel {Channel}: static leadership, this peer is {Role}", _channel, _options.OrgLeader ? "the leader" : "a standby");
            Report(leadership, force: true);
        }
    }

    private void Static()
    {
        Receive<Inbound>(m => Refuse(ElectionRejection.StaticLeadership, m.Sender, "leadership is static at this peer"));
        Receive<ElectionPeers>(_ => { });
        Receive<PeerSuspected>(_ => { });
        Receive<OrdererUnreachable>(m => _log.Warning(
            "Channel {Channel}: ordering service unreachable for {For}; a static leader keeps retrying", _channel, m.For));
        Receive<GetElectionStatus>(_ => Sender.Tell(Status(null)));
    }

    private void Dynamic()
    {
        Receive<ElectionPeers>(m => Step(now => Core.UpdatePeers(m.Peers, now)));
        Receive<Inbound>(OnLeadershipMessage);
        Receive<PeerSuspected>(m => Step(now => Core.OnPeerSuspected(m.Peer, now)));
        Receive<OrdererUnreachable>(m =>
        {
            if (Core.IsLeader)
            {
                _log.Warning("Channel {Channel}: ordering service unreachable for {For}: yielding leadership", _channel, m.For);
            }
            Step(now => Core.OnOrdererUnreachable(now));
        });
        Receive<Tick>(_ => Step(Core.Tick));
        Receive<GetElectionStatus>(_ => Sender.Tell(Status(Core.Phase)));
    }

    private LeaderElectionCore Core => _core!;

    /// <summary>The guard: about its signer, of our org, in our view (the core checks the last one).</summary>
    private void OnLeadershipMessage(Inbound inbound)
    {
        var sender = inbound.Sender;
        var message = inbound.Message.LeadershipMsg;
        if (message is null || message.Timestamp is null || !PkiId.TryFromBytes(message.PkiId.Span, out var about) || about != sender.PkiId)
        {
            Refuse(ElectionRejection.Malformed, sender, "not about its signer, or without a timestamp");
            return;
        }
        if (sender.MspId != _identity.MspId)
        {
            Refuse(ElectionRejection.OtherOrg, sender, $"{sender.MspId} is not our org ({_identity.MspId})");
            return;
        }
        var now = _time.GetUtcNow();
        var output = Core.OnMessage(sender.PkiId, message.IsDeclaration, now);
        if (output.Verdict == LeadershipVerdict.NotInView)
        {
            Refuse(ElectionRejection.NotInView, sender, "not among our org's peers in the channel view");
            return;
        }
        Carry(output, now);
    }

    private void Step(Func<DateTimeOffset, ElectionOutput> input)
    {
        var now = _time.GetUtcNow();
        Carry(input(now), now);
    }

    private void Carry(ElectionOutput output, DateTimeOffset now)
    {
        if (output.ElectionsStarted > 0)
        {
            _metrics.Started(output.ElectionsStarted);
            _log.Info("Channel {Channel}: no leader known, proposing ourselves", _channel);
        }
        foreach (var announcement in output.Announcements)
        {
            Send(announcement, now);
        }
        if (output.Changed is { } changed)
        {
            Report(changed, force: false);
        }
        var delay = Core.NextDue - now;
        Timers.StartSingleTimer("tick", Tick.Instance, delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1));
    }

    private void Send(LeadershipAnnouncement announcement, DateTimeOffset now)
    {
        _sequence = Discovery.PeerTime.NextSequence(_sequence, _time);
        var message = new GossipMessage
        {
            Channel = _channel,
            Tag = GossipTag.ChanAndOrg,
            LeadershipMsg = new LeadershipMessage
            {
                PkiId = _identity.PkiId.ToByteString(),
                Timestamp = new WirePeerTime { IncNum = _incarnation, SeqNum = _sequence },
                IsDeclaration = announcement == LeadershipAnnouncement.Declaration,
            },
        };
        var envelope = EnvelopeCodec.Sign(message, _identity.Key);
        foreach (var peer in Core.Peers)
        {
            _comm.Tell(new SendTo(peer, envelope));
        }
    }

    private void Report(Leadership leadership, bool force)
    {
        var toggled = leadership.IsLeader != _leadership.IsLeader;
        if (!force && leadership == _leadership)
        {
            return;
        }
        _metrics.Leader(leadership.IsLeader, toggled);
        if (toggled || !force)
        {
            _log.Info("Channel {0}: {1}", _channel, leadership.IsLeader
                ? $"{Logging.PeerLabel.Of(_identity.Name, _identity.MspId, _identity.PkiId)} (this peer) is now the org's leader"
                : leadership.Leader is { } leader
                    ? $"the org's leader is {Logging.PeerLabel.Of("", _identity.MspId, leader)}; this peer is not"
                    : "no org leader known; this peer is not the leader");
        }
        _leadership = leadership;
        Context.Parent.Tell(new LeadershipChanged(_channel, leadership.IsLeader, leadership.Leader));
    }

    private ElectionStatus Status(ElectionPhase? phase) => new(_leadership.IsLeader, _leadership.Leader, phase,
        _metrics.ElectionsStarted, _metrics.LeadershipChanges, _metrics.RejectedSnapshot());

    private void Refuse(ElectionRejection reason, PeerIdentityInfo sender, string detail)
    {
        _metrics.Rejected(reason);
        _log.Warning("Channel {Channel}: rejected leadership message from {Sender}: {Reason}: {Detail}", _channel, sender, reason, detail);
    }
}
