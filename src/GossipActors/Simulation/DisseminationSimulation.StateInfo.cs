using GossipActors.Channels;
using GossipActors.Protocol.Wire;

namespace GossipActors.Simulation;

/// <summary>
/// State info, through the channel membership core as the channel actor drives it: each peer's
/// <see cref="ChannelMembership"/> learns the alive peers, publishes our signed state info (on a height change and on
/// its timer) to the peers of the channel view, and takes in the others'. The dissemination core sees the peers of
/// the view of our own org (blocks stay within the org).
/// </summary>
public sealed partial class DisseminationSimulation
{
    private readonly ChannelMembership[] _memberships;

    private void InitStateInfo()
    {
        var orgs = _orgOf.Distinct().ToArray();
        var alive = _ids.Select((id, i) => (id, _orgOf[i])).ToArray();
        for (var i = 0; i < _peers.Length; i++)
        {
            var membership = new ChannelMembership(Channel, _ids[i], incarnation: 1, orgs, _options.StateInfoInterval);
            membership.UpdateAlive(alive);
            _memberships[i] = membership;
            UpdateDisseminationPeers(i);
        }
    }

    /// <summary>The peer's timer: publishes its state info when the core says so.</summary>
    private void TickStateInfo(int peer, DateTimeOffset now)
    {
        if (_memberships[peer].Tick(now) is { } stateInfo)
        {
            Publish(peer, stateInfo);
        }
    }

    private void OnOwnHeight(int peer, ulong height)
    {
        if (_memberships[peer].OnOwnHeight(height, Now) is { } stateInfo)
        {
            Publish(peer, stateInfo);
        }
    }

    /// <summary>Kinds of the state info protocol other than state info itself; none with the current core.</summary>
    private static bool HandleStateInfoControl(int from, int to, GossipMessage message)
    {
        _ = (from, to, message);
        return false;
    }

    private void OnStateInfo(int from, int to, StateInfo info)
    {
        var fact = new StateInfoFact(_ids[from], _orgOf[from], info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, info.LeftChannel);
        if (_memberships[to].OnStateInfo(fact) is StateInfoOutcome.Accepted or StateInfoOutcome.LeftChannel)
        {
            UpdateDisseminationPeers(to);
        }
    }

    /// <summary>Signs our state info once and sends it to every peer of the view, as the channel actor does.</summary>
    private void Publish(int peer, StateInfo stateInfo)
    {
        var message = new GossipMessage { Channel = Channel, Tag = GossipTag.ChanOrOrg, StateInfo = stateInfo };
        var envelope = SimEnvelope.Of(message, _costs.FrameOverheadBytes);
        _cpu.Run(peer, _scheduler.Now, _costs.SignCost);
        _traffic.Signed(peer);
        foreach (var target in _memberships[peer].View.Peers)
        {
            Send(peer, _indexOf[target.Id], envelope, sign: false);
        }
        Rearm(peer);
    }

    private void UpdateDisseminationPeers(int peer)
    {
        var view = _memberships[peer].View;
        _peers[peer].UpdatePeers(_options.Orgs == 1
            ? view
            : new ChannelPeerSnapshot(view.Peers.Where(p => p.Org == _orgOf[peer])));
    }
}
