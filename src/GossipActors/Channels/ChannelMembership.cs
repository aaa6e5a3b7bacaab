using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>A peer's signed state info for a channel, already verified by the shell (signature, identity, org).</summary>
public sealed record StateInfoFact(PkiId Peer, string Org, ulong Incarnation, ulong Sequence, ulong LedgerHeight, bool LeftChannel);

/// <summary>A peer that membership says is alive: its org, and whether it has an external endpoint (visible to other orgs).</summary>
public readonly record struct AlivePeer(PkiId Id, string Org, bool External);

/// <summary>What became of one state info.</summary>
public enum StateInfoOutcome
{
    Accepted,

    /// <summary>Not newer than what we hold (same or older incarnation/sequence), or about ourselves: ignored.</summary>
    Stale,

    /// <summary>The peer's org is not a member of the channel: never listed.</summary>
    NonMemberOrg,

    /// <summary>The peer announced it left the channel: removed.</summary>
    LeftChannel,
}

/// <summary>A state info pull this core wants sent: a digest request under a fresh nonce to one peer.</summary>
public readonly record struct StateInfoPull(PkiId Target, StateInfoPullRequest Request)
{
    public ulong Nonce => Request.Nonce;
}

/// <summary>
/// Who joined one channel, with which height, and our own state info (Fabric's gossip channel state). The channel
/// view is the peers that published a state info for the channel, that are alive (membership), of a member org, and
/// did not announce they left; a state info expires only when its peer has not been alive for the retention interval
/// (<see cref="Expire"/>). Every change updates the view in O(1) (no rebuild per receipt).
/// Our own state info goes out at most every publishInterval and only when our height changed (a keep-alive at half
/// the retention interval keeps us in the others' views); every requestInterval we pull, by digest, the state infos we lack
/// from one random peer (ChannelMembership.Digest.cs). Routing as Fabric: state info goes to our org, and to other orgs only when we have an external
/// endpoint; blocks go to <see cref="SameOrg"/> only.
/// </summary>
public sealed partial class ChannelMembership
{
    private sealed record Entry(StateInfoFact Fact, SignedEnvelope? Envelope, DateTimeOffset ReceivedAt);

    private readonly Dictionary<PkiId, Entry> _states = [];
    private readonly Dictionary<PkiId, AlivePeer> _alive = [];
    private readonly ChannelPeerSet _targets = new();
    private readonly ChannelPeerSet _sameOrgTargets = new();
    private readonly StateInfoSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private HashSet<string> _memberOrgs;
    private ulong _sequence;
    private ulong _ownHeight;
    private ulong _publishedHeight;
    private bool _changed = true;
    private DateTimeOffset? _lastPublished;
    private DateTimeOffset? _nextPull;
    private DateTimeOffset? _nextExpiry;
    private StateInfoPull? _pendingPull;

    /// <param name="time">Only for sequence numbers (<see cref="Discovery.PeerTime.NextSequence"/>); every other input takes now.</param>
    public ChannelMembership(string channel, PkiId self, string selfOrg, bool selfExternal, ulong incarnation,
        IEnumerable<string> memberOrgs, StateInfoSettings settings, TimeProvider time, Random random)
    {
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid state info settings: " + string.Join(" ", problems), nameof(settings));
        }
        Channel = channel;
        Self = self;
        SelfOrg = selfOrg;
        SelfExternal = selfExternal;
        Incarnation = incarnation;
        _memberOrgs = [.. memberOrgs];
        _settings = settings;
        _time = time;
        _random = random;
    }

    public string Channel { get; }
    public PkiId Self { get; }
    public string SelfOrg { get; }
    public bool SelfExternal { get; }
    public ulong Incarnation { get; }
    public StateInfoSettings Settings => _settings;

    /// <summary>All peers of the channel, of every member org, with their heights: state transfer may use any of them.</summary>
    public ChannelPeerSet Peers { get; } = new();

    /// <summary>The channel's peers of our own org: blocks (push, digests, pull) and election go only to these.</summary>
    public ChannelPeerSet SameOrg { get; } = new();

    /// <summary>State info entries held (including those of peers that left or are not alive now), for memory checks.</summary>
    public int StateInfoCount => _states.Count;

    /// <summary>Our last published height.</summary>
    public ulong OwnHeight => _ownHeight;

    public bool IsMemberOrg(string org) => _memberOrgs.Contains(org);

    /// <summary>Alive in membership, of a member org, and has not announced leaving: may exchange state info with us.</summary>
    public bool MayExchangeStateInfo(PkiId peer) => _targets.Contains(peer) || (_alive.TryGetValue(peer, out var a)
        && _memberOrgs.Contains(a.Org) && !HasLeft(peer));

    /// <summary>The next instant <see cref="Tick"/> has work.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            return Earliest(Earliest(PublishDue, _nextPull), _nextExpiry);
        }
    }

    /// <summary>When our state info is due next: publishInterval after the last one if our height changed since,
    /// else the keep-alive at half the retention interval; null before the first (due at once).</summary>
    private DateTimeOffset? PublishDue => _lastPublished is not { } last ? null
        : _changed ? last + _settings.PublishInterval : last + _settings.RetentionInterval / 2;

    /// <summary>A verified state info from the wire. Newer than what we hold replaces it and updates the views.</summary>
    public StateInfoOutcome OnStateInfo(StateInfoFact fact, SignedEnvelope? envelope, DateTimeOffset now)
    {
        if (!_memberOrgs.Contains(fact.Org))
        {
            return StateInfoOutcome.NonMemberOrg;
        }
        if (fact.Peer == Self || (_states.TryGetValue(fact.Peer, out var held)
            && (fact.Incarnation, fact.Sequence).CompareTo((held.Fact.Incarnation, held.Fact.Sequence)) <= 0))
        {
            return StateInfoOutcome.Stale;
        }
        _states[fact.Peer] = new Entry(fact, envelope, now); // a left_channel fact is kept too, so older ones stay stale
        Track(fact.Peer, fact);
        _nextExpiry ??= now + _settings.RetentionInterval;
        Place(fact.Peer);
        return fact.LeftChannel ? StateInfoOutcome.LeftChannel : StateInfoOutcome.Accepted;
    }

    /// <summary>Whether a state info about <paramref name="peer"/> at (incarnation, sequence) would be new to us: a
    /// cheap test before anyone verifies its signature.</summary>
    public bool IsNewer(PkiId peer, ulong incarnation, ulong sequence) => peer != Self && (!_states.TryGetValue(peer, out var held)
        || (incarnation, sequence).CompareTo((held.Fact.Incarnation, held.Fact.Sequence)) > 0);

    /// <summary>
    /// The alive peers from membership (after each change of its view); O(alive), not per block. Returns the peers
    /// that just became reachable for state info (newcomers), so that the shell can tell them our height at once.
    /// </summary>
    public List<PkiId> UpdateAlive(IEnumerable<AlivePeer> alive)
    {
        var previous = _targets.Peers.Select(p => p.Id).ToHashSet();
        _alive.Clear();
        foreach (var peer in alive)
        {
            if (peer.Id != Self)
            {
                _alive[peer.Id] = peer;
            }
        }
        foreach (var id in Peers.Peers.Select(p => p.Id).Concat(previous).Where(id => !_alive.ContainsKey(id)).ToList())
        {
            Place(id);
        }
        foreach (var id in _alive.Keys)
        {
            Place(id);
        }
        List<PkiId> newcomers = [.. _targets.Peers.Select(p => p.Id).Where(id => !previous.Contains(id))];
        if (newcomers.Count(id => !_states.ContainsKey(id)) > MaxRangeAnswer)
        {
            // Many peers we hold no state info of, e.g. a partition healed past the retention interval: steady-state
            // pulls would take newcomers / 32 rounds to learn them. Newcomers we still hold (a short partition) do not
            // count: filling would end at once, as we hold a state info of each.
            StartFill();
        }
        return newcomers;
    }

    /// <summary>The channel's member orgs changed (a config block): peers of removed orgs leave the view.</summary>
    public void UpdateMemberOrgs(IEnumerable<string> memberOrgs)
    {
        _memberOrgs = [.. memberOrgs];
        foreach (var outsider in _states.Where(s => !_memberOrgs.Contains(s.Value.Fact.Org)).Select(s => s.Key).ToList())
        {
            _states.Remove(outsider);
            Untrack(outsider);
        }
        foreach (var id in _alive.Keys.Concat(Peers.Peers.Select(p => p.Id)).ToList())
        {
            Place(id);
        }
    }

    /// <summary>Our ledger height changed: our state info goes out at the next publish tick.</summary>
    public void OnOwnHeight(ulong height)
    {
        if (height != _ownHeight)
        {
            _ownHeight = height;
            _changed = true;
        }
    }

    /// <summary>
    /// Timers: our state info if it is due (first call, height changed and publishInterval passed, or keep-alive),
    /// a state info pull if requestInterval passed, and expiry of state info older than the retention interval.
    /// </summary>
    public (StateInfo? Publish, StateInfoPull? Pull) Tick(DateTimeOffset now)
    {
        if (_nextExpiry is { } expiry && now >= expiry)
        {
            Expire(now);
        }
        StateInfo? publish = null;
        var publishDue = PublishDue;
        if (Discovery.Cadence.IsDue(publishDue, now))
        {
            publish = Publish(now, leftChannel: false);
            // The period counts from when the publication was due, not from this (later) tick: one state info per
            // publishInterval slot, as Fabric's publish ticker; a tick an interval or more late starts the slots anew.
            _lastPublished = publishDue is { } due && now - due < _settings.PublishInterval ? due : now;
        }
        StateInfoPull? pull = null;
        if (_nextPull is null)
        {
            // Spread the peers' pulls over the interval so they do not all pull at once.
            _nextPull = now + PullInterval * _random.NextDouble();
        }
        else if (now >= _nextPull)
        {
            CheckFill();
            _nextPull = Discovery.Cadence.Next(_nextPull, now, PullInterval);
            var target = _targets.SelectRandom(1, _random, Self);
            _pendingPull = target.Count == 0 ? null : new StateInfoPull(target[0], DigestRequest((ulong)_random.NextInt64()));
            pull = _pendingPull;
        }
        return (publish, pull);
    }

    /// <summary>requestStateInfoInterval, or a quarter of it while our view fills.</summary>
    private TimeSpan PullInterval => _filling ? _settings.RequestInterval / FillPullsPerInterval : _settings.RequestInterval;

    /// <summary>Our announcement that we leave the channel.</summary>
    public StateInfo Leave(DateTimeOffset now) => Publish(now, leftChannel: true);

    /// <summary>Up to fanout random peers to push a state info to: any state-info peer for our own (our org, and
    /// other orgs if we have an external endpoint); same-org peers only for one we relay.</summary>
    public List<PkiId> PushTargets(PkiId about, PkiId except)
    {
        if (about == Self)
        {
            return _targets.SelectRandom(_settings.Fanout, _random, Self, except);
        }
        var chosen = _sameOrgTargets.SelectRandom(_settings.Fanout + 1, _random, Self, except);
        chosen.Remove(about);
        return chosen.Count > _settings.Fanout ? chosen[.._settings.Fanout] : chosen;
    }

    /// <summary>Every peer our state info may reach (for the one-off announcement that we leave).</summary>
    public IReadOnlyList<PkiId> AllTargets => [.. _targets.Peers.Select(p => p.Id)];

    /// <summary>Whether a snapshot from <paramref name="from"/> under <paramref name="nonce"/> answers our pending
    /// pull; consumes the nonce (one response per request).</summary>
    public bool AcceptsSnapshot(PkiId from, ulong nonce)
    {
        if (_pendingPull is { } pending && pending.Target == from && pending.Nonce == nonce)
        {
            _pendingPull = null;
            return true;
        }
        return false;
    }

    private StateInfo Publish(DateTimeOffset now, bool leftChannel)
    {
        _lastPublished = now;
        _changed = false;
        _publishedHeight = _ownHeight;
        _sequence = Discovery.PeerTime.NextSequence(_sequence, _time);
        return new StateInfo
        {
            Timestamp = new Protocol.Wire.PeerTime { IncNum = Incarnation, SeqNum = _sequence },
            PkiId = Self.ToByteString(),
            LedgerHeight = _ownHeight,
            LeftChannel = leftChannel,
        };
    }

    /// <summary>
    /// Drops the state infos of peers that membership no longer lists as alive and that were not renewed for
    /// stateInfoRetentionInterval (as Fabric purges a state info when membership expires its peer). The state info of
    /// an alive peer does not expire by age: refresh is bounded (push to a few peers, one bounded pull per interval),
    /// so at N = 1,000 a peer may hear a given peer's new state info only every few minutes, and age alone would drop
    /// live peers from the view. A dead peer leaves the view at once (<see cref="Place"/>); its entry is kept until
    /// this sweep so that a late copy of an older state info stays stale. Memory stays bounded by alive peers plus
    /// those that died within the retention interval.
    /// </summary>
    private void Expire(DateTimeOffset now)
    {
        DateTimeOffset? oldest = null;
        foreach (var (id, entry) in _states.ToList())
        {
            if (_alive.ContainsKey(id))
            {
                continue;
            }
            if (now - entry.ReceivedAt >= _settings.RetentionInterval)
            {
                _states.Remove(id);
                Untrack(id);
                Place(id);
            }
            else if (oldest is null || entry.ReceivedAt < oldest)
            {
                oldest = entry.ReceivedAt;
            }
        }
        // Alive peers may die before the next sweep: look again within half a retention interval at the latest.
        var sweep = now + _settings.RetentionInterval / 2;
        _nextExpiry = oldest + _settings.RetentionInterval is { } due && due < sweep ? due : sweep;
    }

    /// <summary>Whether a held state info counts as expired now (see <see cref="Expire"/>).</summary>
    private bool IsExpired(PkiId id, DateTimeOffset receivedAt, DateTimeOffset now) =>
        !_alive.ContainsKey(id) && now - receivedAt >= _settings.RetentionInterval;

    private bool HasLeft(PkiId peer) => _states.TryGetValue(peer, out var e) && e.Fact.LeftChannel;

    /// <summary>Puts one peer where it belongs now (view, same-org view, state info targets): O(1).</summary>
    private void Place(PkiId id)
    {
        var alive = _alive.TryGetValue(id, out var peer) && _memberOrgs.Contains(peer.Org);
        _states.TryGetValue(id, out var entry);
        var left = entry?.Fact.LeftChannel == true;
        var joined = alive && entry is not null && !left && entry.Fact.Org == peer.Org;
        if (joined)
        {
            var member = new ChannelPeer(id, peer.Org, entry!.Fact.LedgerHeight);
            Peers.Set(member);
            if (peer.Org == SelfOrg)
            {
                SameOrg.Set(member);
            }
        }
        else
        {
            Peers.Remove(id);
            SameOrg.Remove(id);
        }
        if (alive && !left && (peer.Org == SelfOrg || (SelfExternal && peer.External)))
        {
            _targets.Set(new ChannelPeer(id, peer.Org, 0));
            if (peer.Org == SelfOrg)
            {
                _sameOrgTargets.Set(new ChannelPeer(id, peer.Org, 0));
            }
        }
        else
        {
            _targets.Remove(id);
            _sameOrgTargets.Remove(id);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
