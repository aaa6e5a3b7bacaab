using System.Security.Cryptography;
using System.Text;
using GossipActors.Crypto;
using GossipActors.Election;

namespace GossipActors.Simulation;

/// <summary>
/// Orgs of peers, each peer with its own <see cref="LeaderElectionCore"/> (the one the election actor runs), over a
/// <see cref="SimulatedNetwork{T}"/> in virtual time, through one seeded fault schedule (<see cref="ElectionScenario"/>).
/// Watches every connected side of every org: how long it goes without a leader, how long it has two; and, after the
/// final heal, when each org is down to exactly one leader that every peer follows. Same scenario, same run.
/// </summary>
public sealed class ElectionSimulation
{
    private static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    private readonly ElectionScenario _scenario;
    private readonly VirtualScheduler _scheduler = new();
    private readonly SimulatedNetwork<bool> _network;
    private readonly Random _faults;
    private readonly Random _jitter;
    private readonly LeaderElectionCore?[] _cores;
    private readonly DateTimeOffset?[] _armedFor;
    private readonly PkiId[] _ids;
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private readonly Dictionary<string, TimeSpan> _leaderlessSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _splitSince = new(StringComparer.Ordinal);
    private int[] _sideOf;
    private TimeSpan _longestLeaderless;
    private TimeSpan _longestSplit;
    private long _electionsStarted;
    private long _announcements;
    private TimeSpan _sampleUntil = TimeSpan.MaxValue;

    public ElectionSimulation(ElectionScenario scenario)
    {
        _scenario = scenario.Validate();
        var n = scenario.Orgs * scenario.PeersPerOrg;
        _faults = new Random(scenario.Seed);
        _jitter = new Random(unchecked(scenario.Seed * 31 + 7));
        _network = new SimulatedNetwork<bool>(_scheduler, new Random(unchecked(scenario.Seed * 17 + 3)), Deliver)
        {
            LossRate = scenario.LossRate,
            Latency = (_, _) => scenario.Latency + TimeSpan.FromTicks((long)(_jitter.NextDouble() * scenario.LatencyJitter.Ticks)),
        };
        _cores = new LeaderElectionCore?[n];
        _armedFor = new DateTimeOffset?[n];
        _ids = new PkiId[n];
        _sideOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            // Hashed ids: the PKI-ID order is unrelated to the index (and to who starts or crashes).
            _ids[i] = PkiId.FromCertificate(Encoding.UTF8.GetBytes($"seed {scenario.Seed} peer {i}"));
            _indexOf[_ids[i]] = i;
        }
    }

    private DateTimeOffset Now => Epoch + _scheduler.Now;

    private int OrgOf(int peer) => peer / _scenario.PeersPerOrg;

    private IEnumerable<int> OrgPeers(int org) => Enumerable.Range(org * _scenario.PeersPerOrg, _scenario.PeersPerOrg);

    private IEnumerable<int> AllPeers => Enumerable.Range(0, _cores.Length);

    public ElectionRunResult Run()
    {
        foreach (var peer in AllPeers)
        {
            StartPeer(peer);
        }
        _scheduler.At(_scenario.WarmUp, Sample);
        var at = _scenario.WarmUp;
        var events = _faults.Next(_scenario.MinEvents, _scenario.MaxEvents + 1);
        for (var e = 0; e < events; e++)
        {
            _scheduler.Run(at);
            Fault();
            at += _scenario.MinGap + TimeSpan.FromTicks((long)(_faults.NextDouble() * (_scenario.MaxGap - _scenario.MinGap).Ticks));
        }
        _scheduler.Run(at);
        var healedAt = _scheduler.Now;
        HealAll();
        var end = healedAt + _scenario.EffectiveBound * 2;
        _sampleUntil = end;
        TimeSpan? settled = null;
        while (_scheduler.Now < end)
        {
            _scheduler.Run(_scheduler.Now + SampleEvery);
            if (_scheduler.Now > healedAt && OneAgreedLeaderPerOrg())
            {
                settled ??= _scheduler.Now - healedAt;
            }
            else if (_scheduler.Now > healedAt)
            {
                settled = null; // not settled yet, or it came apart again
            }
        }
        CloseStretches();
        return new ElectionRunResult(_scenario.Seed, events, settled, _longestLeaderless, _longestSplit, _electionsStarted,
            _announcements, _network.Dropped, Leaders());
    }

    // ---- faults ----

    private void Fault()
    {
        var crashed = AllPeers.Where(p => _cores[p] is null).ToList();
        switch (_faults.Next(4))
        {
            case 0:
                Partition();
                break;
            case 1:
                _network.Heal();
                _sideOf = new int[_cores.Length];
                Changed();
                break;
            case 2 when crashed.Count > 0:
                StartPeer(crashed[_faults.Next(crashed.Count)]);
                break;
            default:
                Crash();
                break;
        }
    }

    /// <summary>Each org split at random into two or three sides.</summary>
    private void Partition()
    {
        _sideOf = new int[_cores.Length];
        for (var org = 0; org < _scenario.Orgs; org++)
        {
            var sides = _faults.Next(2, 4);
            foreach (var peer in OrgPeers(org))
            {
                _sideOf[peer] = org * 4 + _faults.Next(sides);
            }
        }
        _network.Partition(_sideOf);
        Changed();
    }

    /// <summary>A random live peer; half of the time the leader of a random org, if it has one.</summary>
    private void Crash()
    {
        var live = AllPeers.Where(p => _cores[p] is not null).ToList();
        var org = _faults.Next(_scenario.Orgs);
        var leaders = live.Where(p => _cores[p]!.IsLeader && OrgOf(p) == org).ToList();
        var victim = _faults.Next(2) == 0 && leaders.Count > 0 ? leaders[_faults.Next(leaders.Count)] : live[_faults.Next(live.Count)];
        _cores[victim] = null;
        _armedFor[victim] = null;
        _network.Crash(victim);
        Changed();
    }

    private void HealAll()
    {
        _network.Heal();
        _sideOf = new int[_cores.Length];
        foreach (var peer in AllPeers.Where(p => _cores[p] is null))
        {
            StartPeer(peer);
        }
        Changed();
    }

    private void StartPeer(int peer)
    {
        _network.Restart(peer);
        _cores[peer] = new LeaderElectionCore(_ids[peer], _scenario.Settings, Now);
        _armedFor[peer] = null;
        Carry(peer, _cores[peer]!.Tick(Now));
        Changed();
    }

    /// <summary>Connectivity changed: views follow after the view lag, the cluster's hint after the hint delay.</summary>
    private void Changed()
    {
        _scheduler.After(_scenario.ViewLag, RefreshViews);
        _scheduler.After(_scenario.HintDelay, Hint);
    }

    private void RefreshViews()
    {
        foreach (var peer in AllPeers)
        {
            if (_cores[peer] is { } core)
            {
                var view = OrgPeers(OrgOf(peer)).Where(q => q != peer && _network.CanReach(peer, q)).Select(q => _ids[q]);
                Carry(peer, core.UpdatePeers(view, Now));
            }
        }
    }

    private void Hint()
    {
        foreach (var peer in AllPeers)
        {
            if (_cores[peer] is { Leader: { } leader } core && leader != _ids[peer] && !_network.CanReach(peer, _indexOf[leader]))
            {
                Carry(peer, core.OnPeerSuspected(leader, Now));
            }
        }
    }

    // ---- the cores ----

    private void Deliver(int from, int to, bool isDeclaration)
    {
        if (_cores[to] is { } core)
        {
            Carry(to, core.OnMessage(_ids[from], isDeclaration, Now));
        }
    }

    private void Carry(int peer, ElectionOutput output)
    {
        var core = _cores[peer]!;
        _electionsStarted += output.ElectionsStarted;
        foreach (var announcement in output.Announcements)
        {
            _announcements++;
            foreach (var target in core.Peers)
            {
                _network.Send(peer, _indexOf[target], announcement == LeadershipAnnouncement.Declaration);
            }
        }
        Arm(peer, core);
    }

    private void Arm(int peer, LeaderElectionCore core)
    {
        var due = core.NextDue;
        if (_armedFor[peer] is { } armed && armed <= due && armed >= Now)
        {
            return; // an earlier tick is pending; it re-arms
        }
        _armedFor[peer] = due;
        _scheduler.At(due - Epoch, () =>
        {
            if (!ReferenceEquals(_cores[peer], core) || _armedFor[peer] != due)
            {
                return; // crashed, restarted, or re-armed since
            }
            _armedFor[peer] = null;
            Carry(peer, core.Tick(Now));
        });
    }

    // ---- watching ----

    private void Sample()
    {
        var now = _scheduler.Now;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var side in Sides())
        {
            var key = string.Join(',', side);
            seen.Add(key);
            var leaders = side.Count(p => _cores[p]!.IsLeader);
            Track(_leaderlessSince, key, leaders == 0, now, ref _longestLeaderless);
            Track(_splitSince, key, leaders > 1, now, ref _longestSplit);
        }
        foreach (var gone in _leaderlessSince.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            Close(_leaderlessSince, gone, now, ref _longestLeaderless);
        }
        foreach (var gone in _splitSince.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            Close(_splitSince, gone, now, ref _longestSplit);
        }
        if (now + SampleEvery < _sampleUntil)
        {
            _scheduler.After(SampleEvery, Sample);
        }
    }

    private static void Track(Dictionary<string, TimeSpan> since, string key, bool condition, TimeSpan now, ref TimeSpan longest)
    {
        if (condition)
        {
            since.TryAdd(key, now);
        }
        else
        {
            Close(since, key, now, ref longest);
        }
    }

    private static void Close(Dictionary<string, TimeSpan> since, string key, TimeSpan now, ref TimeSpan longest)
    {
        if (since.Remove(key, out var from) && now - from > longest)
        {
            longest = now - from;
        }
    }

    private void CloseStretches()
    {
        foreach (var key in _leaderlessSince.Keys.ToList())
        {
            Close(_leaderlessSince, key, _scheduler.Now, ref _longestLeaderless);
        }
        foreach (var key in _splitSince.Keys.ToList())
        {
            Close(_splitSince, key, _scheduler.Now, ref _longestSplit);
        }
    }

    /// <summary>The connected sides of every org: live peers that can reach each other.</summary>
    private IEnumerable<List<int>> Sides() =>
        AllPeers.Where(p => _cores[p] is not null).GroupBy(p => (OrgOf(p), _sideOf[p])).Select(g => g.ToList());

    private bool OneAgreedLeaderPerOrg()
    {
        for (var org = 0; org < _scenario.Orgs; org++)
        {
            var leaders = OrgPeers(org).Where(p => _cores[p]!.IsLeader).ToList();
            if (leaders.Count != 1 || OrgPeers(org).Any(p => _cores[p]!.Leader != _ids[leaders[0]]))
            {
                return false;
            }
        }
        return true;
    }

    private int[] Leaders() => [.. AllPeers.Where(p => _cores[p]?.IsLeader == true)];

    /// <summary>The lowest PKI-ID of an org (for tests that check who leads after a clean start).</summary>
    public int LowestIdOf(int org) => OrgPeers(org).MinBy(p => _ids[p])!;

    internal static string Fingerprint(IEnumerable<ElectionRunResult> results) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(';', results.Select(r => r.ToString())))))[..16];
}
