using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Channels;

/// <summary>State info: ours published and pushed, others' accepted and relayed once, snapshots pulled and served.</summary>
public sealed partial class ChannelActor
{
    private SignedEnvelope Sign(StateInfo stateInfo) =>
        EnvelopeCodec.Sign(new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateInfo = stateInfo }, _context.Identity.Key);

    /// <summary>Signs our state info and pushes it to fanout peers (our org; other orgs if we have an external endpoint).</summary>
    private void PublishOwn(StateInfo stateInfo)
    {
        _lastStateInfo = Sign(stateInfo);
        foreach (var peer in _membership.PushTargets(_context.Identity.PkiId, default))
        {
            SendStateInfo(peer, _lastStateInfo);
        }
    }

    private void SendStateInfo(PkiId peer, SignedEnvelope envelope)
    {
        _counters.StateInfoSent(envelope.CalculateSize());
        Comm.Tell(new SendTo(peer, envelope));
    }

    private void SendStateInfoKind(PkiId peer, GossipMessage message)
    {
        message.Channel = Channel;
        message.Tag = GossipTag.ChanOrOrg;
        SendStateInfo(peer, EnvelopeCodec.Sign(message, _context.Identity.Key));
    }

    /// <summary>
    /// A state info, verified by comm (signature of its publisher, freshness). New ones update the view; one that
    /// came straight from its publisher is relayed once to fanout peers of our org; relayed ones go no further.
    /// </summary>
    private void OnStateInfo(Inbound inbound)
    {
        var sender = inbound.Sender;
        var info = inbound.Message.StateInfo;
        if (!PkiId.TryFromBytes(info.PkiId.Span, out var about) || about != sender.PkiId || info.Timestamp is null)
        {
            Refuse(ChannelRejection.Malformed, sender, Kind.StateInfo, "state info not about its signer, or without a timestamp");
            return;
        }
        var fact = new StateInfoFact(sender.PkiId, sender.MspId, info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, info.LeftChannel);
        switch (_membership.OnStateInfo(fact, inbound.Envelope, Now))
        {
            case StateInfoOutcome.NonMemberOrg:
                Refuse(ChannelRejection.NonMemberOrg, sender, Kind.StateInfo, $"{sender.MspId} is not a member of the channel");
                return;
            case StateInfoOutcome.Stale:
                return;
            case StateInfoOutcome.LeftChannel:
                _log.Info("Channel {Channel}: {Sender} left the channel", Channel, sender);
                break;
        }
        _counters.StateInfoAccepted();
        OnHeightReported(info.LedgerHeight, Now);
        if (inbound.RelayedBy is null)
        {
            foreach (var peer in _membership.PushTargets(sender.PkiId, sender.PkiId))
            {
                SendStateInfo(peer, inbound.Envelope);
            }
        }
    }

    /// <summary>A peer pulls by digest: the original signed envelopes it lacks (bounded; ChannelMembership.Answer).</summary>
    private void OnStateInfoPullRequest(PeerIdentityInfo sender, StateInfoPullRequest request)
    {
        if (!_membership.MayExchangeStateInfo(sender.PkiId))
        {
            Refuse(ChannelRejection.NotChannelPeer, sender, Kind.StateInfoPullReq, "not an alive peer of a member org, or it left");
            return;
        }
        if (sender.MspId != _context.Identity.MspId && !_context.ExternalEndpoint)
        {
            return; // we are invisible to other orgs: nothing to disclose
        }
        SendStateInfoKind(sender.PkiId, new GossipMessage { StateSnapshot = _membership.Answer(request, sender.MspId, _lastStateInfo, Now, sender.PkiId) });
    }

    /// <summary>
    /// A snapshot answering our pull: the nonce is checked first; then only elements that would be new to us (a cheap
    /// parse, no signature check) go to comm, which verifies each as if it came from its publisher and hands back
    /// those that pass as state infos relayed by the responder.
    /// </summary>
    private void OnStateInfoSnapshot(PeerIdentityInfo sender, StateInfoSnapshot snapshot)
    {
        if (!_membership.AcceptsSnapshot(sender.PkiId, snapshot))
        {
            Refuse(ChannelRejection.UnsolicitedSnapshot, sender, Kind.StateSnapshot, $"nonce {snapshot.Nonce} answers no pull of ours");
            return;
        }
        var fresh = new List<SignedEnvelope>();
        foreach (var element in snapshot.Elements.Take(_membership.MaxSnapshotEntries))
        {
            if (EnvelopeCodec.TryParsePayload(element, out var message, out _) && message!.Channel == Channel
                && message.StateInfo is { Timestamp: { } time } info && PkiId.TryFromBytes(info.PkiId.Span, out var about)
                && _membership.IsNewer(about, time.IncNum, time.SeqNum))
            {
                fresh.Add(element);
            }
        }
        if (fresh.Count > 0)
        {
            Comm.Tell(new VerifyRelayedStateInfo(Channel, sender, fresh));
        }
    }
}
