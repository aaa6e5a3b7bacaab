using System.Diagnostics;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>
/// N peers of one channel running the channel cores (<see cref="ChannelMembership"/> for state info,
/// <see cref="ChannelDissemination"/> for blocks) over a <see cref="SimulatedNetwork{T}"/> in virtual time, as the
/// channel actor drives them. Every message costs CPU at its sender and receiver (<see cref="MessageCosts"/>, queued per
/// peer by <see cref="PeerCpu"/>) and its bytes on the wire; links have a base latency plus exponential jitter. The
/// ordering service hands each block to each org's leader; blocks travel only within the org; peers commit in order
/// through the commit pipeline and a ledger with a storage cost, and fetch what gossip missed by state transfer
/// (<c>DisseminationSimulation.Ledger.cs</c>). A late joiner may enter mid-run and catch up.
/// Seeded and deterministic: the same options give the same report (wall time aside).
/// </summary>
public sealed partial class DisseminationSimulation
{
    private const string Channel = "simchannel";
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DisseminationSimulationOptions _options;
    private readonly MessageCosts _costs;
    private readonly VirtualScheduler _scheduler = new();
    private readonly SimulatedNetwork<SimEnvelope> _network;
    private readonly PeerCpu _cpu;
    private readonly ChannelDissemination[] _peers;
    private readonly PkiId[] _ids;
    private readonly string[] _orgOf;
    private readonly int[] _orgIndex;
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private readonly TimeSpan[] _wakeAt;
    private readonly bool[] _joined;
    private readonly int _lateJoiner = -1;     // the peer that joins late, or -1
    private readonly TimeSpan[] _injectedAt;
    private readonly TimeSpan[] _completedAt;  // when the last peer (present at injection) committed the block
    private readonly int[] _committed;          // peers present at injection that committed the block
    private readonly int[] _expected;           // peers present at injection
    private TimeSpan? _joinedAt;
    private TimeSpan? _caughtUpAt;
    private readonly TrafficCounters _traffic;
    private readonly Random _random;
    private long _delivered;
    private TimeSpan _busyBeforeBlocks;
    private (int Min, double Mean, int Unknown) _viewAtFirstBlock;

    public DisseminationSimulation(DisseminationSimulationOptions options)
    {
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Invalid simulation options: " + string.Join(" ", problems), nameof(options));
        }
        _options = options;
        _costs = options.Costs;
        _random = new Random(options.Seed);
        var n = options.Peers;
        var jitter = new Random(_random.Next());
        _network = new SimulatedNetwork<SimEnvelope>(_scheduler, new Random(_random.Next()), Arrive)
        {
            Latency = (_, _) => options.Jitter <= TimeSpan.Zero
                ? options.Latency
                : options.Latency + options.Jitter * -Math.Log(1 - jitter.NextDouble()),
            LossRate = options.LossRate,
        };
        _cpu = new PeerCpu(3 * n, options.SharedCores); // a lane per peer (channel, comm), one per ledger actor, one for background work
        _ids = Enumerable.Range(0, n).Select(i => PkiId.FromCertificate(BitConverter.GetBytes(i))).ToArray();
        _orgIndex = Enumerable.Range(0, n).Select(i => i * options.Orgs / n).ToArray();
        _orgOf = _orgIndex.Select(o => $"Org{o + 1}MSP").ToArray();
        var settings = options.EffectiveSettings;
        _peers = new ChannelDissemination[n];
        for (var i = 0; i < n; i++)
        {
            _indexOf[_ids[i]] = i;
            _peers[i] = new ChannelDissemination(Channel, _ids[i], settings, new Random(_random.Next()));
        }
        _wakeAt = Enumerable.Repeat(TimeSpan.MaxValue, n).ToArray();
        _joined = Enumerable.Repeat(true, n).ToArray();
        if (options.LateJoinerAtBlock is { } joinBlock)
        {
            _lateJoiner = n - 1; // the last peer of the last org, never a leader
            _joined[_lateJoiner] = false;
        }
        _injectedAt = new TimeSpan[options.Blocks];
        _completedAt = Enumerable.Repeat(TimeSpan.MaxValue, options.Blocks).ToArray();
        _committed = new int[options.Blocks];
        _expected = Enumerable.Range(0, options.Blocks)
            .Select(b => _lateJoiner >= 0 && b < options.LateJoinerAtBlock ? n - 1 : n).ToArray();
        _traffic = new TrafficCounters(n);
        _memberships = new ChannelMembership[n];
        _lastStateInfo = new SignedEnvelope?[n];
        InitStateInfo();
        InitLedger();
    }

    public static DisseminationReport Run(DisseminationSimulationOptions options) => new DisseminationSimulation(options).Run();

    public DisseminationReport Run()
    {
        var wall = Stopwatch.StartNew();
        var o = _options;
        var n = _peers.Length;
        for (var i = 0; i < n; i++)
        {
            var peer = i;
            // Peers start within the first 100 ms, not in lockstep.
            var startAt = TimeSpan.FromMilliseconds(_random.NextDouble() * 100);
            if (peer != _lateJoiner)
            {
                _scheduler.At(startAt, () => Wake(peer, null));
            }
        }
        StartMembershipLoad();
        StartIdleLoad();
        if (_lateJoiner >= 0)
        {
            _network.Crash(_lateJoiner); // absent (unreachable) until it joins
            _scheduler.At(o.Warmup + o.BlockInterval * o.LateJoinerAtBlock!.Value, Join);
        }
        if (o.Partition is { } cut)
        {
            var halves = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
            _scheduler.At(cut.Start, () => _network.Partition(halves));
            _scheduler.At(cut.End, _network.Heal);
        }
        var start = o.Warmup;
        _scheduler.At(start, () =>
        {
            _traffic.Measuring = true;
            _traffic.SteadyWindow = true;
            _busyBeforeBlocks = _cpu.Busy;
            _viewAtFirstBlock = ViewCoverage();
        });
        var leaders = Enumerable.Range(0, o.Orgs).Select(org => Array.IndexOf(_orgIndex, org)).ToArray();
        var orgSize = Enumerable.Range(0, o.Orgs).Select(org => _orgIndex.Count(x => x == org)).ToArray();
        var payload = new byte[o.BlockBytes];
        for (var b = 0; b < o.Blocks; b++)
        {
            var number = (ulong)b;
            var at = start + o.BlockInterval * b;
            _random.NextBytes(payload);
            var block = ByteString.CopyFrom(payload);
            _ledgerBlocks[b] = LedgerBlockOf(number, block);
            var sources = Enumerable.Range(0, o.Orgs)
                .Select(org => o.InjectAtLeader ? leaders[org] : leaders[org] + _random.Next(orgSize[org])).ToArray();
            _scheduler.At(at, () =>
            {
                _injectedAt[number] = _scheduler.Now;
                foreach (var source in sources)
                {
                    Carry(source, _peers[source].Inject(number, block, Now));
                }
            });
        }
        var lastInjection = start + o.BlockInterval * (o.Blocks - 1);
        _scheduler.At(lastInjection, () => _traffic.SteadyWindow = false);
        var total = (long)o.Blocks * n;
        TimeSpan? allCommittedAt = null;
        var grace = o.HopDelay * 20; // count the messages still in flight when the last peer committed the last block
        _scheduler.Run(lastInjection + o.Drain, () =>
        {
            if (_delivered == total && allCommittedAt is null)
            {
                allCommittedAt = _scheduler.Now;
            }
            return allCommittedAt is { } t && _scheduler.Now >= t + grace;
        });
        return Report(wall.Elapsed);
    }

    private DateTimeOffset Now => Epoch + _scheduler.Now;

    /// <summary>The late joiner starts: reachable, its timers run; state info makes it known and state transfer fills it.</summary>
    private void Join()
    {
        _joined[_lateJoiner] = true;
        _joinedAt = _scheduler.Now;
        _network.Restart(_lateJoiner);
        Wake(_lateJoiner, null);
    }

    /// <summary>A message reached <paramref name="to"/>: it waits for the peer's CPU (Akka, decode, verification; the
    /// wake-ups if the peer was idle).</summary>
    private void Arrive(int from, int to, SimEnvelope envelope)
    {
        var message = envelope.Message;
        var fromPublisher = message.ContentCase == GossipMessage.ContentOneofCase.StateInfo
            && message.StateInfo.PkiId.Span.SequenceEqual(_ids[from].Span);
        _traffic.Received(to, envelope, TrafficCounters.StateInfoKind(message, fromPublisher));
        var cost = _costs.ReceiveCost(envelope.WireBytes, envelope.Signed, envelope.Blocks, wake: _cpu.IsIdle(to, _scheduler.Now));
        var done = _cpu.Run(to, _scheduler.Now, cost);
        if (done == _scheduler.Now)
        {
            Handle(from, to, envelope);
        }
        else
        {
            _scheduler.At(done, () => Handle(from, to, envelope));
        }
    }

    private void Handle(int from, int to, SimEnvelope envelope)
    {
        var message = envelope.Message;
        var sender = _ids[from];
        var peer = _peers[to];
        var now = Now;
        DisseminationOutput output;
        if (HandleStateInfoKind(from, to, message, envelope) || HandleStateTransferKind(from, to, message))
        {
            return;
        }
        switch (message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.DataMsg:
                _traffic.Copies[to]++;
                output = peer.OnDataMessage(sender, message.DataMsg, now);
                break;
            case GossipMessage.ContentOneofCase.PullRes:
                _traffic.Copies[to] += message.PullRes.Elements.Count;
                OnPullResponse(from, to, message.PullRes);
                return;
            default:
                if (peer.OnControlMessage(sender, message, now) is not { } routed)
                {
                    return;
                }
                output = routed;
                break;
        }
        Carry(to, output);
    }

    /// <summary>
    /// As the channel actor: the nonce is checked first, then only blocks we asked this peer for and still lack are
    /// verified (CPU per block), then the core takes them.
    /// </summary>
    private void OnPullResponse(int from, int to, PullResponse response)
    {
        var peer = _peers[to];
        var sender = _ids[from];
        if (!peer.AcceptsPullResponse(sender, response.Nonce))
        {
            return;
        }
        var wanted = PullEngine.BlocksOf(response).Where(b => peer.WantsPulled(sender, b.SeqNum))
            .Take(peer.Settings.MaxBlockCountToStore).ToList();
        _traffic.Verified(to, wanted.Count);
        var done = _cpu.Run(to, _scheduler.Now, _costs.BlockVerifyCost * wanted.Count);
        _scheduler.At(done, () => Carry(to, peer.OnPullResponse(sender, response.Nonce, wanted, Now)));
    }

    /// <summary>Carries a core's output out, as the channel actor does: sends (after the CPU), then commits.</summary>
    private void Carry(int peer, DisseminationOutput output)
    {
        foreach (var send in output.Sends)
        {
            Send(peer, _indexOf[send.Target], SimEnvelope.Of(send.Message, _costs.FrameOverheadBytes), sign: true);
        }
        if (output.NewBlocks.Count > 0)
        {
            Offer(peer, output.NewBlocks.Select(b => b.SeqNum), source: null);
        }
        Rearm(peer);
    }

    /// <summary>Queues one send on the sender's CPU (signing it if <paramref name="sign"/> and it is a signed kind).</summary>
    private void Send(int from, int to, SimEnvelope envelope, bool sign)
    {
        var cost = _costs.SendCost(envelope.WireBytes, wake: _cpu.IsIdle(from, _scheduler.Now));
        if (sign && envelope.Signed)
        {
            cost += _costs.SignCost;
            _traffic.Signed(from);
        }
        _traffic.Sent(from);
        var done = _cpu.Run(from, _scheduler.Now, cost);
        if (done == _scheduler.Now)
        {
            _network.Send(from, to, envelope);
        }
        else
        {
            _scheduler.At(done, () => _network.Send(from, to, envelope));
        }
    }

    /// <summary>
    /// Arms the peer's timer for the earliest due core. Every handler ends here, the state info handlers too, so the
    /// heights they took in reach the state-transfer planner here (as the channel actor's OnHeightReported).
    /// </summary>
    private void Rearm(int peer)
    {
        if (!_joined[peer])
        {
            return;
        }
        NoteReportedHeight(peer);
        var due = Earliest(Earliest(_peers[peer].NextDue, StateInfoDue(peer)), _planners[peer].NextDue);
        if (due is null)
        {
            return;
        }
        var at = due.Value - Epoch;
        if (at < _wakeAt[peer])
        {
            _wakeAt[peer] = at;
            _scheduler.At(at, () => Wake(peer, at));
        }
    }

    private void Wake(int peer, TimeSpan? at)
    {
        if (at is not null && _wakeAt[peer] != at)
        {
            return; // superseded by an earlier wake-up
        }
        _wakeAt[peer] = TimeSpan.MaxValue;
        var now = Now;
        var output = _peers[peer].Tick(now);
        TickStateInfo(peer, now);
        TickStateTransfer(peer, now);
        Carry(peer, output);
    }

    /// <summary>The peer's ledger wrote <paramref name="block"/> (in order).</summary>
    private void Committed(int peer, int block)
    {
        _delivered++;
        var counted = peer != _lateJoiner || block >= _options.LateJoinerAtBlock;
        if (counted && ++_committed[block] == _expected[block])
        {
            _completedAt[block] = _scheduler.Now;
        }
        if (peer == _lateJoiner && block + 1 == _options.LateJoinerAtBlock)
        {
            _caughtUpAt = _scheduler.Now;
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
