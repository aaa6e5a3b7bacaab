using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>
/// State info through <see cref="ChannelMembership"/>, as the channel actor drives it: our signed state info is
/// published on the core's timer (when our height changed) to a fan-out of peers; a state info received from its
/// publisher is relayed once to a fan-out of our org; every requestStateInfoInterval a peer pulls, by digest, the state
/// infos one random peer holds that it lacks (bounded), whose elements that are new to it are verified one by one. The channel view (who published state info)
/// is the core's; the dissemination core routes blocks to the core's same-org peers, updated in place.
/// </summary>
public sealed partial class DisseminationSimulation
{
    private static readonly ByteString FakeSignature = ByteString.CopyFrom(new byte[64]);

    private readonly ChannelMembership[] _memberships;
    private readonly SignedEnvelope?[] _lastStateInfo;

    private void InitStateInfo()
    {
        var orgs = _orgOf.Distinct().ToArray();
        var alive = _ids.Select((id, i) => new AlivePeer(id, _orgOf[i], External: true)).ToArray();
        var time = new VirtualTimeProvider(_scheduler, Epoch);
        for (var i = 0; i < _peers.Length; i++)
        {
            var membership = new ChannelMembership(Channel, _ids[i], _orgOf[i], selfExternal: true, incarnation: 1, orgs,
                _options.EffectiveStateInfo, time, new Random(_random.Next()));
            membership.UpdateAlive(alive);
            _memberships[i] = membership;
            _peers[i].UpdatePeers(membership.SameOrg); // updated in place by the membership core
        }
    }

    /// <summary>Same-org channel views now: the smallest and mean size, and how many peers are in no other peer's view.</summary>
    private (int Min, double Mean, int Unknown) ViewCoverage()
    {
        var known = new bool[_peers.Length];
        var sizes = new int[_peers.Length];
        for (var i = 0; i < _peers.Length; i++)
        {
            foreach (var p in _memberships[i].SameOrg.Peers)
            {
                known[_indexOf[p.Id]] = true;
            }
            sizes[i] = _memberships[i].SameOrg.Count;
        }
        return (sizes.Min(), sizes.Average(), known.Count(k => !k));
    }

    private DateTimeOffset? StateInfoDue(int peer) => _memberships[peer].NextDue;

    /// <summary>The peer's timer: publishes our state info and pulls a snapshot when the core says so.</summary>
    private void TickStateInfo(int peer, DateTimeOffset now)
    {
        var (publish, pull) = _memberships[peer].Tick(now);
        if (publish is not null)
        {
            var envelope = Signed(publish);
            _cpu.Run(peer, _scheduler.Now, _costs.SignCost);
            _traffic.Signed(peer);
            _lastStateInfo[peer] = envelope.Envelope;
            foreach (var target in _memberships[peer].PushTargets(_ids[peer], default))
            {
                Send(peer, _indexOf[target], envelope.Sim, sign: false);
            }
        }
        if (pull is { } request)
        {
            var message = new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateInfoPullReq = request.Request };
            Send(peer, _indexOf[request.Target], SimEnvelope.Of(message, _costs.FrameOverheadBytes), sign: true);
        }
    }

    private void OnOwnHeight(int peer, ulong height) => _memberships[peer].OnOwnHeight(height);

    /// <summary>Handles the state info kinds; false for any other kind.</summary>
    private bool HandleStateInfoKind(int from, int to, GossipMessage message, SimEnvelope envelope)
    {
        switch (message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.StateInfo:
                OnStateInfo(from, to, message.StateInfo, envelope, relayed: false);
                return true;
            case GossipMessage.ContentOneofCase.StateInfoPullReq:
                OnStateInfoPullRequest(from, to, message.StateInfoPullReq);
                return true;
            case GossipMessage.ContentOneofCase.StateSnapshot:
                OnStateInfoSnapshot(from, to, message.StateSnapshot);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A state info from <paramref name="from"/> (its publisher, or a peer relaying it).</summary>
    private void OnStateInfo(int from, int to, StateInfo info, SimEnvelope envelope, bool relayed)
    {
        var about = _indexOf[PkiId.FromBytes(info.PkiId.Span)];
        relayed |= about != from;
        var fact = new StateInfoFact(_ids[about], _orgOf[about], info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, info.LeftChannel);
        var membership = _memberships[to];
        var outcome = membership.OnStateInfo(fact, ToSigned(envelope.Message), Now);
        if (outcome is StateInfoOutcome.Accepted or StateInfoOutcome.LeftChannel && !relayed)
        {
            foreach (var target in membership.PushTargets(_ids[about], _ids[about]))
            {
                Send(to, _indexOf[target], envelope, sign: false);
            }
        }
        Rearm(to);
    }

    private void OnStateInfoPullRequest(int from, int to, StateInfoPullRequest request)
    {
        var membership = _memberships[to];
        if (!membership.MayExchangeStateInfo(_ids[from]))
        {
            return;
        }
        var snapshot = membership.Answer(request, _orgOf[from], _lastStateInfo[to], Now);
        var message = new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateSnapshot = snapshot };
        Send(to, from, SimEnvelope.Of(message, _costs.FrameOverheadBytes), sign: true);
    }

    /// <summary>A snapshot answering our pull: elements new to us are verified (CPU), then taken in as relayed.</summary>
    private void OnStateInfoSnapshot(int from, int to, StateInfoSnapshot snapshot)
    {
        var membership = _memberships[to];
        if (!membership.AcceptsSnapshot(_ids[from], snapshot))
        {
            return;
        }
        var fresh = new List<(StateInfo Info, SimEnvelope Envelope)>();
        foreach (var element in snapshot.Elements.Take(membership.MaxSnapshotEntries))
        {
            var message = GossipMessage.Parser.ParseFrom(element.Payload);
            var info = message.StateInfo;
            if (membership.IsNewer(PkiId.FromBytes(info.PkiId.Span), info.Timestamp.IncNum, info.Timestamp.SeqNum))
            {
                fresh.Add((info, SimEnvelope.Of(message, _costs.FrameOverheadBytes)));
            }
        }
        if (fresh.Count == 0)
        {
            return;
        }
        _traffic.Verified(to, fresh.Count);
        var done = _cpu.Run(to, _scheduler.Now, _costs.VerifyCost * fresh.Count);
        _scheduler.At(done, () =>
        {
            foreach (var (info, envelope) in fresh)
            {
                OnStateInfo(from, to, info, envelope, relayed: true);
            }
        });
    }

    /// <summary>Our state info as the channel actor signs it (the signature's bytes are not checked in the simulator).</summary>
    private (SignedEnvelope Envelope, SimEnvelope Sim) Signed(StateInfo stateInfo)
    {
        var message = new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateInfo = stateInfo };
        return (ToSigned(message), SimEnvelope.Of(message, _costs.FrameOverheadBytes));
    }

    private static SignedEnvelope ToSigned(GossipMessage message) => new() { Payload = message.ToByteString(), Signature = FakeSignature };
}
