using Akka.Event;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Channels;

/// <summary>Inbound: the channel's guard (member org, channel view), state info, and the data kinds to the cores.</summary>
public sealed partial class ChannelActor
{
    private void OnInbound(Inbound inbound)
    {
        var sender = inbound.Sender;
        var message = inbound.Message;
        var now = _time.GetUtcNow();
        if (message.ContentCase == Kind.StateInfo)
        {
            OnStateInfo(sender, message.StateInfo);
            return;
        }
        if (!GossipAllows(message.ContentCase) || !Admits(sender, message.ContentCase))
        {
            return;
        }
        var from = sender.PkiId;
        switch (message.ContentCase)
        {
            case Kind.DataMsg:
                _counters.FullCopiesReceived++;
                if (Verified(message.DataMsg, $"pushed by {sender}", now) is not null)
                {
                    Carry(_dissemination.OnDataMessage(from, message.DataMsg, now), now);
                }
                break;
            case Kind.DataDigest or Kind.DataReq or Kind.Hello or Kind.PullDigest or Kind.PullReq:
                if (message.ContentCase == Kind.DataDigest)
                {
                    _counters.DigestsReceived++;
                }
                Carry(_dissemination.OnControlMessage(from, message, now)!, now);
                break;
            case Kind.PullRes:
                var blocks = PullEngine.BlocksOf(message.PullRes);
                _counters.FullCopiesReceived += blocks.Count;
                var good = blocks.Where(b => Verified(b, $"in a pull response from {sender}", now) is not null).ToList();
                Carry(_dissemination.OnPullResponse(from, message.PullRes.Nonce, good, now), now);
                break;
            default:
                Refuse(ChannelRejection.Malformed, sender, message.ContentCase, "a channel does not handle this kind");
                break;
        }
    }

    /// <summary>Only alive peers of member orgs that have not left may talk to the channel; others are never answered.</summary>
    private bool Admits(PeerIdentityInfo sender, Kind kind)
    {
        if (!_membership.IsMemberOrg(sender.MspId))
        {
            Refuse(ChannelRejection.NonMemberOrg, sender, kind, $"{sender.MspId} is not a member of the channel");
            return false;
        }
        if (!_membership.View.Contains(sender.PkiId))
        {
            Refuse(ChannelRejection.NotChannelPeer, sender, kind, "not an alive peer of the channel (unknown, dead or left)");
            return false;
        }
        return true;
    }

    private void OnStateInfo(PeerIdentityInfo sender, StateInfo info)
    {
        if (!PkiId.TryFromBytes(info.PkiId.Span, out var about) || about != sender.PkiId || info.Timestamp is null)
        {
            Refuse(ChannelRejection.Malformed, sender, Kind.StateInfo, "state info not about its signer, or without a timestamp");
            return;
        }
        var fact = new StateInfoFact(sender.PkiId, sender.MspId, info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, info.LeftChannel);
        switch (_membership.OnStateInfo(fact))
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
        _counters.StateInfosAccepted++;
        _dissemination.UpdatePeers(_membership.View);
    }

    /// <summary>
    /// The block of a data message, if it verifies: orderer signature over the header, channel, and the header's
    /// number equal to seq_num. A bad block is counted and logged with where it came from, and goes nowhere.
    /// </summary>
    private Block? Verified(DataMessage data, string source, DateTimeOffset now)
    {
        string reason;
        string detail;
        if (!BlockVerifier.TryParse(data.Block, out var block, out var error))
        {
            (reason, detail) = (nameof(BlockRejection.Malformed), error!);
        }
        else
        {
            var check = _verifier.Verify(block!, Channel, now);
            if (check.IsValid && check.Header!.Number == data.SeqNum)
            {
                return block;
            }
            (reason, detail) = check.IsValid
                ? ("SeqNumMismatch", $"data message says block {data.SeqNum} but carries block {check.Header!.Number}")
                : (check.Reason.ToString(), check.Detail);
        }
        _counters.BadBlock(reason);
        _log.Warning("Channel {Channel}: dropped bad block {Number} {Source}: {Reason}: {Detail}", Channel, data.SeqNum, source, reason, detail);
        return null;
    }

    private void Refuse(ChannelRejection reason, PeerIdentityInfo sender, Kind kind, string detail)
    {
        _counters.Rejected(reason);
        // Counted every time; logged once a minute per sender and reason (a peer outside the channel asks every pull round).
        if (_warnings.ShouldLog($"{sender}|{reason}", _time.GetUtcNow(), out var suppressed))
        {
            _log.Warning("Channel {Channel}: rejected {Kind} from {Sender}: {Reason}: {Detail}{Suppressed}", Channel, kind, sender, reason, detail,
                suppressed > 0 ? $" ({suppressed} more like it suppressed)" : "");
        }
    }
}
