using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>
/// N channel membership cores of one org wired as the channel actor wires its core (publish and push, relay once,
/// pull by digest, the answer carrying the responder's own state info when it is higher, accept it under the nonce), over a network with a
/// fixed one-way latency, on a virtual clock. Envelopes are unsigned (signatures are comm's concern, not this core's);
/// their sizes are counted as on the wire plus a 64-byte signature.
/// </summary>
internal sealed class StateInfoNetwork
{
    private const int SignatureBytes = 64;

    private readonly ManualTimeProvider _clock = new(T0);
    private readonly ChannelMembership[] _peers;
    private readonly SignedEnvelope?[] _own;
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Order)> _events = new();
    private readonly TimeSpan _latency;
    private long _order;

    public StateInfoNetwork(int count, StateInfoSettings settings, TimeSpan latency, int seed)
    {
        _latency = latency;
        var random = new Random(seed);
        _peers = new ChannelMembership[count];
        _own = new SignedEnvelope?[count];
        var alive = Enumerable.Range(0, count).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)).ToList();
        for (var i = 0; i < count; i++)
        {
            _peers[i] = new ChannelMembership("ch1", Peer(i), "Org1MSP", true, 1, ["Org1MSP"], settings, _clock, new Random(random.Next()));
            _peers[i].UpdateAlive(alive);
            _indexOf[Peer(i)] = i;
            var peer = i;
            Schedule(T0 + TimeSpan.FromMilliseconds(random.Next(1000)), () => Tick(peer));
        }
    }

    public DateTimeOffset Now => _clock.GetUtcNow();
    public ChannelMembership this[int peer] => _peers[peer];
    public long Messages { get; private set; }
    public long Bytes { get; private set; }

    public void SetHeight(int peer, ulong height)
    {
        _peers[peer].OnOwnHeight(height);
        var self = peer;
        Schedule(Now, () => Tick(self)); // the actor re-arms its timer after a commit
    }

    /// <summary>Runs events until <paramref name="until"/>, or until <paramref name="stop"/> holds; returns the time it stopped.</summary>
    public DateTimeOffset RunUntil(DateTimeOffset until, Func<bool>? stop = null)
    {
        while (_events.TryPeek(out _, out var key) && key.At <= until)
        {
            _events.Dequeue()();
            if (stop?.Invoke() == true)
            {
                return Now;
            }
        }
        _clock.Advance(until - Now);
        return until;
    }

    private void Schedule(DateTimeOffset at, Action action) =>
        _events.Enqueue(() =>
        {
            if (at > Now)
            {
                _clock.Advance(at - Now);
            }
            action();
        }, (at, _order++));

    private void Tick(int peer)
    {
        var core = _peers[peer];
        var (publish, pull) = core.Tick(Now);
        if (publish is not null)
        {
            _own[peer] = Envelope(new GossipMessage { Channel = "ch1", StateInfo = publish });
            foreach (var target in core.PushTargets(core.Self, default))
            {
                Send(peer, target, _own[peer]!);
            }
        }
        if (pull is { } request)
        {
            Send(peer, request.Target, Envelope(new GossipMessage { Channel = "ch1", StateInfoPullReq = request.Request }));
        }
        if (core.NextDue is { } due)
        {
            Schedule(due, () => Tick(peer));
        }
    }

    private void Send(int from, PkiId to, SignedEnvelope envelope)
    {
        Messages++;
        Bytes += envelope.CalculateSize() + SignatureBytes;
        var target = IndexOf(to);
        Schedule(Now + _latency, () => Receive(target, from, envelope, relayed: false));
    }

    private void Receive(int peer, int from, SignedEnvelope envelope, bool relayed)
    {
        var core = _peers[peer];
        var message = GossipMessage.Parser.ParseFrom(envelope.Payload);
        switch (message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.StateInfo:
                var info = message.StateInfo;
                var about = PkiId.FromByteString(info.PkiId);
                var fact = new StateInfoFact(about, "Org1MSP", info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, info.LeftChannel);
                var outcome = core.OnStateInfo(fact, envelope, Now);
                if (outcome is StateInfoOutcome.Accepted or StateInfoOutcome.LeftChannel && !relayed && about == Peer(from))
                {
                    foreach (var target in core.PushTargets(about, about))
                    {
                        Send(peer, target, envelope);
                    }
                }
                break;
            case GossipMessage.ContentOneofCase.StateInfoPullReq:
                var snapshot = core.Answer(message.StateInfoPullReq, "Org1MSP", _own[peer], Now);
                Send(peer, Peer(from), Envelope(new GossipMessage { Channel = "ch1", StateSnapshot = snapshot }));
                break;
            case GossipMessage.ContentOneofCase.StateSnapshot:
                if (core.AcceptsSnapshot(Peer(from), message.StateSnapshot))
                {
                    foreach (var element in message.StateSnapshot.Elements.Take(core.MaxSnapshotEntries))
                    {
                        Receive(peer, from, element, relayed: true);
                    }
                }
                break;
        }
    }

    private int IndexOf(PkiId id) => _indexOf[id];

    private static SignedEnvelope Envelope(GossipMessage message) => EnvelopeCodec.Unsigned(message);
}
