using GossipActors.Crypto;

namespace GossipActors.Election;

/// <summary>Where a peer's election stands.</summary>
public enum ElectionPhase
{
    /// <summary>Waiting for the view of the org's channel peers to stop changing (or the grace period, or a declaration).</summary>
    Starting,

    /// <summary>Proposed itself; collecting proposals for leaderElectionDuration.</summary>
    Electing,

    /// <summary>Not the leader: listens for declarations; elects again when none came for leaderAliveThreshold.</summary>
    Follower,

    /// <summary>The org's leader on this channel: declares every leaderAliveThreshold / 2.</summary>
    Leader,
}

/// <summary>
/// Dynamic leader election of one org on one channel at one peer, Fabric's algorithm in virtual time: no actor, no
/// clock of its own. Inputs are the current time, the org's channel peers (the view), leadership messages from them,
/// the delivery's "ordering service unreachable" and the cluster's "leader unreachable" hints; outputs are the
/// announcements to send to the org's channel peers and the leadership changes. Single owner.
/// <list type="bullet">
/// <item>Start: wait until the view stops changing between two samples (an empty view does not count as settled), or
/// startupGracePeriod, or a declaration.</item>
/// <item>No leader known: propose, collect proposals for leaderElectionDuration; give up on a declaration or a
/// proposal from a lower PKI-ID still in the view; otherwise declare.</item>
/// <item>The leader declares every leaderAliveThreshold / 2, and early (rate-limited) to a proposer or a rival leader.
/// A leader that hears a lower-ID leader steps down; a lower-ID peer joining later does not unseat it (incumbency).</item>
/// <item>A follower hearing no declaration for leaderAliveThreshold elects again; with fast failover, losing the
/// leader (hint, or it left the view) elects at once.</item>
/// <item>Yield: a leader whose ordering service is unreachable steps down and proposes nothing until another leader
/// declares itself or <see cref="ElectionCoreSettings.YieldBound"/> passes.</item>
/// </list>
/// </summary>
public sealed class LeaderElectionCore
{
    private readonly ElectionCoreSettings _settings;
    private readonly Dictionary<PkiId, DateTimeOffset> _proposals = [];
    private readonly List<LeadershipAnnouncement> _announcements = [];
    private HashSet<PkiId> _peers = [];
    private HashSet<PkiId>? _lastSample;
    private readonly DateTimeOffset _startedAt;
    private DateTimeOffset _nextSampleAt;
    private DateTimeOffset _electionStartedAt;
    private DateTimeOffset _lastDeclarationHeardAt;
    private DateTimeOffset _leaderHeardAt;
    private DateTimeOffset _lastDeclaredAt;
    private DateTimeOffset _nextDeclarationAt;
    private DateTimeOffset? _yieldingUntil;
    private PkiId? _leader;
    private Leadership _reported = Leadership.None;
    private int _electionsStarted;

    public LeaderElectionCore(PkiId self, ElectionCoreSettings settings, DateTimeOffset now)
    {
        Self = self;
        _settings = settings;
        _startedAt = now;
        _nextSampleAt = now;
    }

    public PkiId Self { get; }
    public ElectionPhase Phase { get; private set; } = ElectionPhase.Starting;
    public bool IsLeader => Phase == ElectionPhase.Leader;

    /// <summary>The leader as we see it: ourselves, the peer whose declarations we follow, or null.</summary>
    public PkiId? Leader => _leader;

    /// <summary>True while we sit out elections after yielding.</summary>
    public bool IsYielding => _yieldingUntil is not null;

    public IReadOnlyCollection<PkiId> Peers => _peers;

    /// <summary>When the core next wants <see cref="Tick"/>.</summary>
    public DateTimeOffset NextDue => Phase switch
    {
        ElectionPhase.Starting => Min(_nextSampleAt, _startedAt + _settings.StartupGracePeriod),
        ElectionPhase.Electing => _electionStartedAt + _settings.LeaderElectionDuration,
        ElectionPhase.Leader => _nextDeclarationAt,
        _ => _yieldingUntil is { } until
            ? Min(until, _lastDeclarationHeardAt + _settings.LeaderAliveThreshold)
            : _lastDeclarationHeardAt + _settings.LeaderAliveThreshold,
    };

    /// <summary>Time passed: sample the view, end an election, declare, or notice a silent leader.</summary>
    public ElectionOutput Tick(DateTimeOffset now)
    {
        Step(now);
        return Flush();
    }

    /// <summary>The org's peers in the channel view now (ourselves excluded).</summary>
    public ElectionOutput UpdatePeers(IEnumerable<PkiId> peers, DateTimeOffset now)
    {
        _peers = [.. peers.Where(p => p != Self)];
        foreach (var gone in _proposals.Keys.Where(p => !_peers.Contains(p)).ToList())
        {
            _proposals.Remove(gone);
        }
        if (_leader is { } leader && leader != Self && !_peers.Contains(leader))
        {
            LoseLeader(now);
        }
        Step(now);
        return Flush();
    }

    /// <summary>A leadership message from <paramref name="from"/> (signature, identity and org already checked).</summary>
    public ElectionOutput OnMessage(PkiId from, bool isDeclaration, DateTimeOffset now)
    {
        if (from == Self || !_peers.Contains(from))
        {
            return ElectionOutput.Nothing with { Verdict = LeadershipVerdict.NotInView };
        }
        if (isDeclaration)
        {
            OnDeclaration(from, now);
        }
        else
        {
            _proposals[from] = now;
            if (IsLeader)
            {
                DeclareSoon(now); // incumbency: the proposer hears that a leader exists before it decides
            }
        }
        Step(now);
        return Flush();
    }

    /// <summary>
    /// The delivery could not reach the ordering service for reconnectTotalTimeThreshold: a leader yields, so that
    /// another peer can try, and sits out elections for a while. Nothing happens when we are not the leader.
    /// </summary>
    public ElectionOutput OnOrdererUnreachable(DateTimeOffset now)
    {
        if (IsLeader)
        {
            _yieldingUntil = now + _settings.YieldBound;
            BecomeFollower(now, leader: null);
        }
        Step(now);
        return Flush();
    }

    /// <summary>
    /// A hint that <paramref name="peer"/> is unreachable (the org's cluster failure detector): if it is our leader and
    /// fast failover is on, elect at once instead of waiting for leaderAliveThreshold.
    /// </summary>
    public ElectionOutput OnPeerSuspected(PkiId peer, DateTimeOffset now)
    {
        if (_leader == peer && peer != Self)
        {
            LoseLeader(now);
        }
        Step(now);
        return Flush();
    }

    private void OnDeclaration(PkiId from, DateTimeOffset now)
    {
        _yieldingUntil = null; // another leader appeared: we may take part again
        _lastDeclarationHeardAt = now;
        switch (Phase)
        {
            case ElectionPhase.Leader when from < Self:
                BecomeFollower(now, from); // a lower-ID leader: step down and stop delivering
                _leaderHeardAt = now;
                break;
            case ElectionPhase.Leader:
                DeclareSoon(now); // a higher-ID rival: tell it at once so that it steps down
                break;
            case ElectionPhase.Starting or ElectionPhase.Electing:
                BecomeFollower(now, from);
                _leaderHeardAt = now;
                break;
            default:
                // Two leaders (a healed partition): follow the lower ID, the other one will step down; but a leader
                // we have not heard for longer than its declaration period is replaced by whoever declares now.
                if (_leader is null || from <= _leader.Value || now - _leaderHeardAt > _settings.DeclarationInterval * 1.5)
                {
                    _leader = from;
                }
                if (_leader == from)
                {
                    _leaderHeardAt = now;
                }
                break;
        }
    }

    private void LoseLeader(DateTimeOffset now)
    {
        _leader = null;
        if (_settings.FastFailover && Phase == ElectionPhase.Follower && !Yielding(now))
        {
            StartElection(now);
        }
    }

    private void Step(DateTimeOffset now)
    {
        while (true)
        {
            var before = (Phase, NextDue);
            switch (Phase)
            {
                case ElectionPhase.Starting:
                    StepStarting(now);
                    break;
                case ElectionPhase.Electing when now >= _electionStartedAt + _settings.LeaderElectionDuration:
                    EndElection(now);
                    break;
                case ElectionPhase.Leader when now >= _nextDeclarationAt:
                    Declare(now, due: _nextDeclarationAt);
                    break;
                case ElectionPhase.Follower:
                    StepFollower(now);
                    break;
            }
            if ((Phase, NextDue) == before)
            {
                return;
            }
        }
    }

    private void StepStarting(DateTimeOffset now)
    {
        if (now >= _startedAt + _settings.StartupGracePeriod)
        {
            StartElection(now);
            return;
        }
        if (now < _nextSampleAt)
        {
            return;
        }
        // The view stopped changing; an empty view is not settled (membership has not found anyone yet): a peer
        // that is really alone waits for the grace period.
        if (_lastSample is not null && _peers.Count > 0 && _lastSample.SetEquals(_peers))
        {
            StartElection(now);
            return;
        }
        _lastSample = [.. _peers];
        _nextSampleAt = now + _settings.MembershipSampleInterval;
    }

    private void StepFollower(DateTimeOffset now)
    {
        if (_yieldingUntil is { } until && now >= until)
        {
            _yieldingUntil = null;
        }
        if (now < _lastDeclarationHeardAt + _settings.LeaderAliveThreshold)
        {
            return;
        }
        if (_leader is not null)
        {
            _leader = null; // silent for leaderAliveThreshold: no leader any more
        }
        StartElection(now);
    }

    /// <summary>Propose ourselves; while yielding, wait another round instead.</summary>
    private void StartElection(DateTimeOffset now)
    {
        _lastSample = null;
        if (Yielding(now))
        {
            BecomeFollower(now, leader: null);
            return;
        }
        // Proposals older than one election duration belong to rounds that are over.
        foreach (var old in _proposals.Where(p => p.Value < now - _settings.LeaderElectionDuration).Select(p => p.Key).ToList())
        {
            _proposals.Remove(old);
        }
        Phase = ElectionPhase.Electing;
        _electionStartedAt = now;
        _leader = null;
        _electionsStarted++;
        _announcements.Add(LeadershipAnnouncement.Proposal);
    }

    private void EndElection(DateTimeOffset now)
    {
        var lowerProposer = _proposals.Keys.Any(p => p < Self && _peers.Contains(p));
        if (lowerProposer || Yielding(now))
        {
            BecomeFollower(now, leader: null);
            return;
        }
        Phase = ElectionPhase.Leader;
        _leader = Self;
        _yieldingUntil = null;
        Declare(now);
    }

    private void BecomeFollower(DateTimeOffset now, PkiId? leader)
    {
        Phase = ElectionPhase.Follower;
        _leader = leader;
        _lastDeclarationHeardAt = now;
        _proposals.Clear();
    }

    /// <summary>A declaration now; the next one an interval after <paramref name="due"/> when this one was on the
    /// leader's cadence (so tick lateness does not stretch it, <see cref="Discovery.Cadence"/>), else after now.</summary>
    private void Declare(DateTimeOffset now, DateTimeOffset? due = null)
    {
        _announcements.Add(LeadershipAnnouncement.Declaration);
        _lastDeclaredAt = now;
        _nextDeclarationAt = Discovery.Cadence.Next(due, now, _settings.DeclarationInterval);
    }

    /// <summary>An early declaration, at most one per <see cref="ElectionCoreSettings.MinDeclarationGap"/>.</summary>
    private void DeclareSoon(DateTimeOffset now)
    {
        var earliest = Max(now, _lastDeclaredAt + _settings.MinDeclarationGap);
        if (earliest < _nextDeclarationAt)
        {
            _nextDeclarationAt = earliest;
        }
    }

    private bool Yielding(DateTimeOffset now)
    {
        if (_yieldingUntil is { } until && now >= until)
        {
            _yieldingUntil = null;
        }
        return _yieldingUntil is not null;
    }

    private ElectionOutput Flush()
    {
        var now = new Leadership(IsLeader, _leader);
        Leadership? changed = now == _reported ? null : now;
        _reported = now;
        if (_announcements.Count == 0 && changed is null && _electionsStarted == 0)
        {
            return ElectionOutput.Nothing;
        }
        var output = new ElectionOutput([.. _announcements], changed, _electionsStarted);
        _announcements.Clear();
        _electionsStarted = 0;
        return output;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
