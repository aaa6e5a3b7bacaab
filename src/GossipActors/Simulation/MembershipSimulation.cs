using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GossipActors.Crypto;
using GossipActors.Discovery;

namespace GossipActors.Simulation;

/// <summary>
/// N peers, each with its own <see cref="MembershipCore"/>, over a <see cref="SimulatedNetwork{T}"/> in virtual time.
/// Everything random comes from the scenario's seed, so the same scenario gives the same run and the same figures.
/// </summary>
public sealed partial class MembershipSimulation
{
    private static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int BootstrapPeersPerOrg = 2;

    private readonly MembershipScenario _scenario;
    private readonly VirtualScheduler _scheduler = new();
    private readonly SimulatedNetwork<MembershipSimMessage> _network;
    private readonly MembershipCore[] _cores;
    private readonly PkiId[] _ids;
    private readonly string[] _orgOf;
    private readonly bool[] _flushArmed;
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private readonly Dictionary<string, int> _indexOfEndpoint = new(StringComparer.Ordinal);
    private readonly MembershipViewTracker _tracker;
    private readonly Random _scenarioRandom;
    private readonly Random _jitterRandom;
    private ulong _trace = 14695981039346656037UL;
    private long _aliveBatches, _aliveRecords, _requests, _responses, _responseRecords, _leaks, _disclosureViolations;
    private long _crashedAliveAtCrash;
    private TimeSpan? _halfCrashedDeadAt;
    private TimeSpan? _fullViewAt, _crashedAt, _allCrashedDeadAt, _partitionedAt, _partitionDetectedAt, _healedAt, _healConvergedAt;

    public MembershipSimulation(MembershipScenario scenario)
    {
        _scenario = scenario.Validate();
        var n = scenario.Peers;
        _scenarioRandom = new Random(scenario.Seed);
        _jitterRandom = new Random(unchecked(scenario.Seed * 31 + 7));
        _network = new SimulatedNetwork<MembershipSimMessage>(_scheduler, new Random(unchecked(scenario.Seed * 17 + 3)), Deliver)
        {
            LossRate = scenario.LossRate,
            Latency = (_, _) => scenario.Latency + (scenario.LatencyJitter > TimeSpan.Zero
                ? TimeSpan.FromTicks((long)(_jitterRandom.NextDouble() * scenario.LatencyJitter.Ticks))
                : TimeSpan.Zero),
        };
        _tracker = new MembershipViewTracker(n);
        _cores = new MembershipCore[n];
        _ids = new PkiId[n];
        _orgOf = new string[n];
        _flushArmed = new bool[n];
        for (var i = 0; i < n; i++)
        {
            _ids[i] = PkiId.FromCertificate(Encoding.UTF8.GetBytes($"simulated-peer-{i}"));
            _orgOf[i] = $"Org{OrgIndex(i) + 1}MSP";
            _indexOf[_ids[i]] = i;
            _indexOfEndpoint[External(i)] = i;
            _indexOfEndpoint[Internal(i)] = i;
        }
        for (var i = 0; i < n; i++)
        {
            var org = OrgIndex(i);
            var self = new AliveRecord(_ids[i], _orgOf[i], External(i), Internal(i), Incarnation: 1, Sequence: 0,
                Epoch.AddYears(10));
            var bootstrap = Enumerable.Range(FirstOf(org), BootstrapPeersPerOrg).Select(Internal);
            var anchors = Enumerable.Range(0, scenario.Orgs).Where(o => o != org).Select(o => new AnchorPeer(External(FirstOf(o)), $"Org{o + 1}MSP"));
            _cores[i] = new MembershipCore(self, scenario.Settings, bootstrap, anchors, new Random(unchecked(scenario.Seed * 1_000_003 + i)));
            _network.Crash(i); // not started yet: unreachable until its join time
        }
    }

    /// <summary>Runs the whole scenario and returns its figures.</summary>
    public MembershipSimulationReport Run()
    {
        var n = _scenario.Peers;
        for (var i = 0; i < n; i++)
        {
            var peer = i;
            // Bootstrap peers (the org's seeds) are up first; the others join at random within the join window.
            var joinAt = IsBootstrap(peer) ? TimeSpan.Zero : TimeSpan.FromTicks((long)(_scenarioRandom.NextDouble() * _scenario.JoinWindow.Ticks));
            _scheduler.At(joinAt, () => Start(peer));
        }
        if (_scenario.CrashCount > 0)
        {
            _scheduler.At(_scenario.CrashAt, CrashSome);
        }
        if (_scenario.PartitionAt is { } partitionAt)
        {
            _scheduler.At(partitionAt, Split);
        }
        if (_scenario.HealAt is { } healAt)
        {
            _scheduler.At(healAt, Heal);
        }
        _scheduler.Run(_scenario.Duration);
        return new MembershipSimulationReport
        {
            Scenario = _scenario,
            SimulatedTime = _scheduler.Now,
            FullViewAt = _fullViewAt,
            CrashedAt = _crashedAt,
            AllCrashedDeadAt = _allCrashedDeadAt,
            HalfCrashedDeadAt = _halfCrashedDeadAt,
            CrashedResurrections = _tracker.CrashedResurrections,
            PartitionedAt = _partitionedAt,
            PartitionDetectedAt = _partitionDetectedAt,
            HealedAt = _healedAt,
            HealConvergedAt = _healConvergedAt,
            FalseDead = _tracker.FalseDead,
            InternalEndpointLeaks = _leaks,
            DisclosureViolations = _disclosureViolations,
            MessagesSent = _network.Sent,
            MessagesDropped = _network.Dropped,
            AliveBatchesSent = _aliveBatches,
            AliveRecordsSent = _aliveRecords,
            RequestsSent = _requests,
            ResponsesSent = _responses,
            ResponseRecordsSent = _responseRecords,
            TraceHash = _trace.ToString("x16", CultureInfo.InvariantCulture),
        };
    }

    private DateTimeOffset Now => Epoch + _scheduler.Now;

    private int OrgSize => _scenario.Peers / _scenario.Orgs;
    private int OrgIndex(int peer) => Math.Min(peer / OrgSize, _scenario.Orgs - 1);
    private int FirstOf(int org) => org * OrgSize;
    private bool IsBootstrap(int peer) => peer - FirstOf(OrgIndex(peer)) < BootstrapPeersPerOrg;
    private static string External(int peer) => $"peer{peer}:7051";
    private static string Internal(int peer) => $"peer{peer}.internal:7051";

    private void Start(int peer)
    {
        _network.Restart(peer);
        _tracker.Started(peer);
        TickLoop(peer);
    }

    private void TickLoop(int peer)
    {
        if (_tracker.IsCrashed(peer))
        {
            return;
        }
        Carry(peer, _cores[peer].Tick(Now));
        _scheduler.After(_scenario.Settings.TickInterval, () => TickLoop(peer));
    }

    private void Deliver(int from, int to, MembershipSimMessage message)
    {
        var core = _cores[to];
        switch (message)
        {
            case AlivesSimMessage alives:
                CountLeaks(from, to, alives.Alives, forwarded: true);
                var now = Now;
                for (var i = 0; i < alives.Alives.Count; i++)
                {
                    var actions = core.OnAlive(alives.Alives[i], now).Actions;
                    if (actions.Count > 0)
                    {
                        Carry(to, actions);
                    }
                }
                Carry(to, []);
                break;
            case RequestSimMessage request:
                CountLeaks(from, to, [request.Self], forwarded: false);
                Carry(to, core.OnMembershipRequest(request.Sender, request.Self, Now).Actions);
                break;
            case ResponseSimMessage response:
                CountLeaks(from, to, response.Alive, forwarded: false);
                Carry(to, core.OnMembershipResponse(response.Responder, response.Alive, Now).Actions);
                break;
        }
    }

    /// <summary>Carries a core's outputs out, as a shell would: messages onto the network, events into the tracker.</summary>
    private void Carry(int peer, IReadOnlyList<MembershipAction> actions)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            switch (actions[i])
            {
                case SendAlives send:
                    // Sent as the core scoped them: the simulator strips nothing, so a leak in the core shows as a leak here.
                    var records = send.Alives;
                    _aliveBatches++;
                    _aliveRecords += records.Count;
                    Send(peer, send.To, new AlivesSimMessage(records), 1, records.Count);
                    break;
                case SendMembershipRequest request:
                    _requests++;
                    Send(peer, request.To, new RequestSimMessage(_ids[peer], request.Self), 2, 1);
                    break;
                case SendMembershipResponse response:
                    _responses++;
                    _responseRecords += response.Alive.Count;
                    Send(peer, response.To, new ResponseSimMessage(_ids[peer], response.Alive), 3, response.Alive.Count);
                    break;
                case PeerBecameAlive alive:
                    Trace(4, peer, _indexOf[alive.Peer.PkiId], alive.Resurrected ? 1 : 0);
                    _tracker.PeerAlive(peer, _indexOf[alive.Peer.PkiId], alive.Resurrected);
                    break;
                case PeerBecameDead dead:
                    Trace(5, peer, _indexOf[dead.Peer.PkiId], (int)dead.Cause);
                    _tracker.PeerDead(peer, _indexOf[dead.Peer.PkiId]);
                    break;
                case PeerPurged purged:
                    Trace(6, peer, _indexOf[purged.Peer.PkiId], (int)purged.Cause);
                    break;
            }
        }
        if (!_flushArmed[peer] && _cores[peer].HasPendingForwards)
        {
            _flushArmed[peer] = true;
            _scheduler.After(_scenario.Settings.MaxPropagationBurstLatency, () =>
            {
                _flushArmed[peer] = false;
                if (!_tracker.IsCrashed(peer))
                {
                    Carry(peer, _cores[peer].FlushForwards(Now));
                }
            });
        }
        CheckMilestones();
    }

    private void Send(int from, Destination to, MembershipSimMessage message, int kind, int count)
    {
        var target = to.Peer is { } id ? _indexOf[id] : _indexOfEndpoint[to.Endpoint];
        Trace(kind, from, target, count);
        _network.Send(from, target, message);
        if (_scenario.SendFailures && to.Peer is { } failed && _tracker.IsCrashed(target))
        {
            _scheduler.After(_scenario.Latency * 2, () =>
            {
                if (!_tracker.IsCrashed(from))
                {
                    Carry(from, _cores[from].OnSendFailed(failed, Now));
                }
            });
        }
    }

    /// <summary>
    /// Counts what the receiver should not have been told: another org's internal endpoint (a leak), or a peer the
    /// disclosure policy keeps from it (a third org's peer, or in a response the sender's own org's peer to a peer of
    /// another org without both external endpoints).
    /// </summary>
    private void CountLeaks(int sender, int receiver, IReadOnlyList<AliveRecord> records, bool forwarded)
    {
        if (_scenario.Orgs == 1)
        {
            return;
        }
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.InternalEndpoint.Length > 0 && !string.Equals(record.Org, _orgOf[receiver], StringComparison.Ordinal))
            {
                _leaks++;
            }
            var allowed = forwarded
                ? DisclosurePolicy.MayForward(record, _orgOf[sender], _orgOf[receiver], targetHasExternalEndpoint: true)
                : DisclosurePolicy.MayDisclose(record, _orgOf[sender], _orgOf[receiver], targetHasExternalEndpoint: true);
            if (!allowed)
            {
                _disclosureViolations++;
            }
        }
    }

    private void CheckMilestones()
    {
        var now = _scheduler.Now;
        if (_fullViewAt is null && _tracker.FullView)
        {
            _fullViewAt = now;
        }
        if (_crashedAt is not null && _halfCrashedDeadAt is null && _tracker.CrashedAliveTotal * 2 <= _crashedAliveAtCrash)
        {
            _halfCrashedDeadAt = now;
        }
        if (_crashedAt is not null && _allCrashedDeadAt is null && _tracker.CrashedAliveTotal == 0)
        {
            _allCrashedDeadAt = now;
        }
        if (_partitionedAt is not null && _partitionDetectedAt is null && _tracker.AcrossAliveTotal == 0)
        {
            _partitionDetectedAt = now;
        }
        if (_healedAt is not null && _healConvergedAt is null && _tracker.FullView)
        {
            _healConvergedAt = now;
        }
    }

    private void Trace(int kind, int a, int b, int c)
    {
        var hash = _trace;
        hash = Mix(hash, (ulong)_scheduler.Now.Ticks);
        hash = Mix(hash, (ulong)kind);
        hash = Mix(hash, (ulong)a);
        hash = Mix(hash, (ulong)b);
        _trace = Mix(hash, (ulong)c);
    }

    private static ulong Mix(ulong hash, ulong value) => unchecked((hash ^ value) * 1099511628211UL);
}
