using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>A peer's signed state info for a channel, already verified by the shell (signature, identity, org).</summary>
public sealed record StateInfoFact(PkiId Peer, string Org, ulong Incarnation, ulong Sequence, ulong LedgerHeight, bool LeftChannel);

/// <summary>What became of one state info.</summary>
public enum StateInfoOutcome
{
    Accepted,

    /// <summary>Not newer than what we hold (same or older incarnation/sequence): ignored.</summary>
    Stale,

    /// <summary>The peer's org is not a member of the channel: never listed.</summary>
    NonMemberOrg,

    /// <summary>The peer announced it left the channel: removed.</summary>
    LeftChannel,
}

/// <summary>
/// State info of one channel: each peer's ledger height under its PeerTime (incarnation, sequence); newer replaces,
/// stale is ignored, left_channel removes the peer. Peers of non-member orgs are never listed. The channel's peers
/// are the alive members (given by membership) of member orgs, with the heights they reported.
/// Also produces our own state info: on change, and every publishStateInfoInterval.
/// </summary>
public sealed class ChannelMembership
{
    private readonly Dictionary<PkiId, StateInfoFact> _states = [];
    private readonly Dictionary<PkiId, string> _alive = [];
    private HashSet<string> _memberOrgs;
    private readonly TimeSpan _publishInterval;
    private ulong _sequence;
    private ulong _ownHeight;
    private DateTimeOffset? _lastPublished;

    public ChannelMembership(string channel, PkiId self, ulong incarnation, IEnumerable<string> memberOrgs, TimeSpan publishInterval)
    {
        Channel = channel;
        Self = self;
        Incarnation = incarnation;
        _memberOrgs = [.. memberOrgs];
        _publishInterval = publishInterval;
        View = ChannelPeerSnapshot.Empty;
    }

    public string Channel { get; }
    public PkiId Self { get; }
    public ulong Incarnation { get; }

    /// <summary>The channel's peers now: alive, of a member org, not left; height 0 until they report one.</summary>
    public ChannelPeerSnapshot View { get; private set; }

    public bool IsMemberOrg(string org) => _memberOrgs.Contains(org);

    public StateInfoOutcome OnStateInfo(StateInfoFact fact)
    {
        if (!_memberOrgs.Contains(fact.Org))
        {
            return StateInfoOutcome.NonMemberOrg;
        }
        if (_states.TryGetValue(fact.Peer, out var held) &&
            (fact.Incarnation, fact.Sequence).CompareTo((held.Incarnation, held.Sequence)) <= 0)
        {
            return StateInfoOutcome.Stale;
        }
        _states[fact.Peer] = fact; // a left_channel fact is kept too, so older ones stay stale
        Rebuild();
        return fact.LeftChannel ? StateInfoOutcome.LeftChannel : StateInfoOutcome.Accepted;
    }

    /// <summary>The alive peers (id and org) from membership; state info of peers no longer alive is dropped.</summary>
    public void UpdateAlive(IEnumerable<(PkiId Id, string Org)> alive)
    {
        _alive.Clear();
        foreach (var (id, org) in alive)
        {
            _alive[id] = org;
        }
        foreach (var gone in _states.Keys.Where(id => !_alive.ContainsKey(id)).ToList())
        {
            _states.Remove(gone);
        }
        Rebuild();
    }

    /// <summary>The channel's member orgs changed (a config block): peers of removed orgs leave the view.</summary>
    public void UpdateMemberOrgs(IEnumerable<string> memberOrgs)
    {
        _memberOrgs = [.. memberOrgs];
        foreach (var outsider in _states.Where(s => !_memberOrgs.Contains(s.Value.Org)).Select(s => s.Key).ToList())
        {
            _states.Remove(outsider);
        }
        Rebuild();
    }

    /// <summary>Our ledger height changed: returns our new state info to sign and gossip, or null if unchanged.</summary>
    public StateInfo? OnOwnHeight(ulong height, DateTimeOffset now)
    {
        if (height == _ownHeight && _lastPublished is not null)
        {
            return null;
        }
        _ownHeight = height;
        return Publish(now, leftChannel: false);
    }

    /// <summary>Our state info if publishStateInfoInterval has passed since the last one, else null.</summary>
    public StateInfo? Tick(DateTimeOffset now) =>
        _lastPublished is { } last && now - last < _publishInterval ? null : Publish(now, leftChannel: false);

    /// <summary>Our announcement that we leave the channel.</summary>
    public StateInfo Leave(DateTimeOffset now) => Publish(now, leftChannel: true);

    public DateTimeOffset? NextPublishDue => _lastPublished + _publishInterval;

    private StateInfo Publish(DateTimeOffset now, bool leftChannel)
    {
        _lastPublished = now;
        return new StateInfo
        {
            Timestamp = new PeerTime { IncNum = Incarnation, SeqNum = ++_sequence },
            PkiId = Self.ToByteString(),
            LedgerHeight = _ownHeight,
            LeftChannel = leftChannel,
        };
    }

    private void Rebuild()
    {
        var peers = new List<ChannelPeer>();
        foreach (var (id, org) in _alive)
        {
            if (id == Self || !_memberOrgs.Contains(org))
            {
                continue;
            }
            if (_states.TryGetValue(id, out var state))
            {
                if (!state.LeftChannel && state.Org == org)
                {
                    peers.Add(new ChannelPeer(id, org, state.LedgerHeight));
                }
            }
            else
            {
                peers.Add(new ChannelPeer(id, org, 0));
            }
        }
        peers.Sort((a, b) => a.Id.CompareTo(b.Id));
        View = new ChannelPeerSnapshot(peers);
    }
}
