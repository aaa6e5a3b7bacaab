using Akka.Event;
using GossipActors.Comm;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Channels;

/// <summary>Inbound: the channel's guard (member org, own org, channel view), and each kind to its handler.</summary>
public sealed partial class ChannelActor
{
    private void OnInbound(Inbound inbound)
    {
        var sender = inbound.Sender;
        var message = inbound.Message;
        var now = Now;
        switch (message.ContentCase)
        {
            case Kind.StateInfo:
                OnStateInfo(inbound);
                UpdateElectionPeers();
                return;
            case Kind.StateInfoPullReq or Kind.StateSnapshot:
                if (!_membership.IsMemberOrg(sender.MspId))
                {
                    Refuse(ChannelRejection.NonMemberOrg, sender, message.ContentCase, $"{sender.MspId} is not a member of the channel");
                }
                else if (message.ContentCase == Kind.StateInfoPullReq)
                {
                    OnStateInfoPullRequest(sender, message.StateInfoPullReq);
                }
                else
                {
                    OnStateInfoSnapshot(sender, message.StateSnapshot);
                }
                UpdateElectionPeers();
                return;
            case Kind.StateRequest or Kind.StateResponse:
                if (AdmitsStateTransfer(sender, message.ContentCase))
                {
                    if (message.ContentCase == Kind.StateRequest)
                    {
                        OnStateRequest(sender, message);
                    }
                    else
                    {
                        OnStateResponse(sender, message, now);
                    }
                }
                return;
        }
        if (!GossipAllows(message.ContentCase) || !AdmitsBlockTraffic(sender, message.ContentCase))
        {
            return;
        }
        var from = sender.PkiId;
        switch (message.ContentCase)
        {
            case Kind.DataMsg:
                _counters.FullCopies(1);
                if (Verified(message.DataMsg, $"pushed by {sender}", now) is not null)
                {
                    // An answer to a data request carries no TTL; a pushed copy carries the TTLs left.
                    var source = message.DataMsg is { PushTtl: 0, DigestTtl: 0 } ? BlockSource.Fetched : BlockSource.Push;
                    Carry(_dissemination.OnDataMessage(from, message.DataMsg, now), now, source);
                }
                break;
            case Kind.DataDigest or Kind.DataReq or Kind.Hello or Kind.PullDigest or Kind.PullReq:
                if (message.ContentCase == Kind.DataDigest)
                {
                    _counters.Digest();
                }
                Carry(_dissemination.OnControlMessage(from, message, now)!, now);
                break;
            case Kind.PullRes:
                OnPullResponse(sender, message.PullRes, now);
                break;
            case Kind.LeadershipMsg:
                OnLeadershipInbound(inbound);
                break;
            default:
                Refuse(ChannelRejection.Malformed, sender, message.ContentCase, "a channel does not handle this kind");
                break;
        }
    }

    /// <summary>
    /// A pull response: the nonce is checked before any block is verified, and only blocks we asked this peer for and
    /// still lack are verified (at most maxBlockCountToStore), so an unsolicited response costs no signature check.
    /// </summary>
    private void OnPullResponse(PeerIdentityInfo sender, PullResponse response, DateTimeOffset now)
    {
        _counters.FullCopies(response.Elements.Count);
        if (!_dissemination.AcceptsPullResponse(sender.PkiId, response.Nonce))
        {
            _counters.Export(_dissemination.Counters);
            return;
        }
        var wanted = PullEngine.BlocksOf(response)
            .Where(b => _dissemination.WantsPulled(sender.PkiId, b.SeqNum))
            .Take(_options.Dissemination.MaxBlockCountToStore);
        var good = wanted.Where(b => Verified(b, $"in a pull response from {sender}", now) is not null).ToList();
        Carry(_dissemination.OnPullResponse(sender.PkiId, response.Nonce, good, now), now, BlockSource.Pull);
    }

    /// <summary>State transfer may use any channel peer (any member org) that published state info and has not left.</summary>
    private bool AdmitsStateTransfer(PeerIdentityInfo sender, Kind kind)
    {
        if (!_membership.IsMemberOrg(sender.MspId))
        {
            Refuse(ChannelRejection.NonMemberOrg, sender, kind, $"{sender.MspId} is not a member of the channel");
            return false;
        }
        if (!_membership.Peers.Contains(sender.PkiId))
        {
            Refuse(ChannelRejection.NotChannelPeer, sender, kind, "not in the channel view (no state info yet, dead, or left)");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Blocks (push, digests, pull) travel only between channel peers of our own org: a peer of a non-member org, of
    /// another org, or of our org that is not in the channel view (no state info, dead, left) is never answered.
    /// </summary>
    private bool AdmitsBlockTraffic(PeerIdentityInfo sender, Kind kind)
    {
        if (!_membership.IsMemberOrg(sender.MspId))
        {
            Refuse(ChannelRejection.NonMemberOrg, sender, kind, $"{sender.MspId} is not a member of the channel");
            return false;
        }
        if (sender.MspId != _context.Identity.MspId)
        {
            Refuse(ChannelRejection.NotOwnOrg, sender, kind, "blocks travel only within an org (each org's leader gets them from the orderer)");
            return false;
        }
        if (!_membership.SameOrg.Contains(sender.PkiId))
        {
            Refuse(ChannelRejection.NotChannelPeer, sender, kind, "not in the channel view (no state info yet, dead, or left)");
            return false;
        }
        return true;
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
            var check = _context.Verifier.Verify(block!, Channel, now);
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

    /// <summary>Counts every refusal; logs a warning at most once a minute per (sender, reason), saying how many it held back.</summary>
    private void Refuse(ChannelRejection reason, PeerIdentityInfo sender, Kind kind, string detail)
    {
        _counters.Rejected(reason);
        if (_warnings.ShouldLog($"{sender}|{reason}", Now, out var suppressed))
        {
            _log.Warning("Channel {Channel}: rejected {Kind} from {Sender}: {Reason}: {Detail}{Suppressed}", Channel, kind, sender, reason, detail,
                suppressed > 0 ? $" ({suppressed} more like it suppressed)" : "");
        }
    }
}
