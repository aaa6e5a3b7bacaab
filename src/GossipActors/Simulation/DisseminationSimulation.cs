using System.Diagnostics;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>
/// N peers running the dissemination cores of one channel over a <see cref="SimulatedNetwork{T}"/> in virtual time.
/// Every peer is given the same converged membership; blocks are injected at a steady rate. Seeded and
/// deterministic: the same options give the same report (wall time aside).
/// </summary>
public sealed class DisseminationSimulation
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DisseminationSimulationOptions _options;
    private readonly VirtualScheduler _scheduler = new();
    private readonly SimulatedNetwork<GossipMessage> _network;
    private readonly ChannelDissemination[] _peers;
    private readonly Dictionary<PkiId, int> _indexOf = [];
    private readonly TimeSpan[] _wakeAt;
    private readonly ulong[] _height;
    private readonly bool[][] _has;            // [block][peer]
    private readonly TimeSpan[] _injectedAt;
    private readonly TimeSpan[] _completedAt;  // when the last peer got the block
    private readonly int[] _holders;
    private readonly long[] _copies;
    private readonly long[] _digests;
    private readonly long[] _bytes;
    private readonly Random _random;
    private long _delivered;

    public DisseminationSimulation(DisseminationSimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        var n = options.Peers;
        _network = new SimulatedNetwork<GossipMessage>(_scheduler, new Random(_random.Next()), Deliver)
        {
            Latency = (_, _) => options.Latency,
            LossRate = options.LossRate,
        };
        var ids = Enumerable.Range(0, n).Select(i => PkiId.FromCertificate(BitConverter.GetBytes(i))).ToArray();
        var snapshot = new ChannelPeerSet(ids.Select(id => new ChannelPeer(id, "Org1MSP", 0)));
        var settings = options.EffectiveSettings;
        _peers = new ChannelDissemination[n];
        for (var i = 0; i < n; i++)
        {
            _indexOf[ids[i]] = i;
            _peers[i] = new ChannelDissemination("simchannel", ids[i], settings, new Random(_random.Next()));
            _peers[i].UpdatePeers(snapshot);
        }
        _wakeAt = Enumerable.Repeat(TimeSpan.MaxValue, n).ToArray();
        _height = new ulong[n];
        _has = Enumerable.Range(0, options.Blocks).Select(_ => new bool[n]).ToArray();
        _injectedAt = new TimeSpan[options.Blocks];
        _completedAt = Enumerable.Repeat(TimeSpan.MaxValue, options.Blocks).ToArray();
        _holders = new int[options.Blocks];
        _copies = new long[n];
        _digests = new long[n];
        _bytes = new long[n];
    }

    public static DisseminationReport Run(DisseminationSimulationOptions options) => new DisseminationSimulation(options).Run();

    public DisseminationReport Run()
    {
        var wall = Stopwatch.StartNew();
        var o = _options;
        for (var i = 0; i < _peers.Length; i++)
        {
            var peer = i;
            _scheduler.At(TimeSpan.Zero, () => Process(peer, _peers[peer].Tick(Now)));
        }
        if (o.Partition is { } cut)
        {
            var halves = Enumerable.Range(0, _peers.Length).Select(i => i % 2).ToArray();
            _scheduler.At(cut.Start, () => _network.Partition(halves));
            _scheduler.At(cut.End, _network.Heal);
        }
        var start = TimeSpan.FromSeconds(1);
        var payload = new byte[o.BlockBytes];
        for (var b = 0; b < o.Blocks; b++)
        {
            var number = (ulong)b;
            var at = start + o.BlockInterval * b;
            _random.NextBytes(payload);
            var block = ByteString.CopyFrom(payload);
            var source = o.InjectAtLeader ? 0 : _random.Next(_peers.Length);
            _scheduler.At(at, () =>
            {
                _injectedAt[number] = _scheduler.Now;
                Process(source, _peers[source].Inject(number, block, Now));
            });
        }
        var lastInjection = start + o.BlockInterval * (o.Blocks - 1);
        var total = (long)o.Blocks * _peers.Length;
        TimeSpan? allDeliveredAt = null;
        var grace = o.Latency * 20; // count the messages still in flight when the last peer got the last block
        _scheduler.Run(lastInjection + o.Drain, () =>
        {
            if (_delivered == total && allDeliveredAt is null)
            {
                allDeliveredAt = _scheduler.Now;
            }
            return allDeliveredAt is { } t && _scheduler.Now >= t + grace;
        });
        return Report(wall.Elapsed);
    }

    private DateTimeOffset Now => Epoch + _scheduler.Now;

    private void Deliver(int from, int to, GossipMessage message)
    {
        _bytes[to] += message.CalculateSize();
        var sender = _peers[from].Self;
        var peer = _peers[to];
        var now = Now;
        DisseminationOutput output;
        switch (message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.DataMsg:
                _copies[to]++;
                output = peer.OnDataMessage(sender, message.DataMsg, now);
                break;
            case GossipMessage.ContentOneofCase.PullRes:
                _copies[to] += message.PullRes.Elements.Count;
                output = peer.OnPullResponse(sender, message.PullRes.Nonce, PullEngine.BlocksOf(message.PullRes), now);
                break;
            default:
                if (message.ContentCase == GossipMessage.ContentOneofCase.DataDigest)
                {
                    _digests[to]++;
                }
                if (peer.OnControlMessage(sender, message, now) is not { } routed)
                {
                    return;
                }
                output = routed;
                break;
        }
        Process(to, output);
    }

    private void Process(int peer, DisseminationOutput output)
    {
        foreach (var send in output.Sends)
        {
            _network.Send(peer, _indexOf[send.Target], send.Message);
        }
        foreach (var block in output.NewBlocks)
        {
            Received(peer, (int)block.SeqNum);
        }
        var core = _peers[peer];
        if (core.NextDue is { } due)
        {
            var at = due - Epoch;
            if (at < _wakeAt[peer])
            {
                _wakeAt[peer] = at;
                _scheduler.At(at, () => Wake(peer, at));
            }
        }
    }

    private void Wake(int peer, TimeSpan at)
    {
        if (_wakeAt[peer] != at)
        {
            return; // superseded by an earlier wake-up
        }
        _wakeAt[peer] = TimeSpan.MaxValue;
        Process(peer, _peers[peer].Tick(Now));
    }

    private void Received(int peer, int block)
    {
        if (_has[block][peer])
        {
            return;
        }
        _has[block][peer] = true;
        _delivered++;
        if (++_holders[block] == _peers.Length)
        {
            _completedAt[block] = _scheduler.Now;
        }
        var height = _height[peer];
        while (height < (ulong)_has.Length && _has[height][peer])
        {
            height++;
        }
        if (height != _height[peer])
        {
            _height[peer] = height;
            _peers[peer].UpdateLedgerHeight(height);
        }
    }

    private DisseminationReport Report(TimeSpan wall)
    {
        var o = _options;
        var d = o.Latency.TotalMilliseconds;
        var delays = Enumerable.Range(0, o.Blocks)
            .Where(b => _completedAt[b] != TimeSpan.MaxValue)
            .Select(b => (_completedAt[b] - _injectedAt[b]).TotalMilliseconds / d)
            .Order().ToArray();
        var copies = _copies.Select(c => (double)c / o.Blocks).Order().ToArray();
        var n = _peers.Length;
        return new DisseminationReport
        {
            Peers = n,
            Blocks = o.Blocks,
            Mode = o.Mode,
            Seed = o.Seed,
            LossRate = o.LossRate,
            DeliveredFraction = (double)_delivered / ((long)o.Blocks * n),
            BlocksFullyDelivered = delays.Length,
            HopDelayP50 = Percentile(delays, 0.50),
            HopDelayP99 = Percentile(delays, 0.99),
            HopDelayMax = delays.Length == 0 ? double.NaN : delays[^1],
            CopiesPerPeerMean = copies.Average(),
            CopiesPerPeerP99 = Percentile(copies, 0.99),
            DigestsPerPeerPerBlock = (double)_digests.Sum() / n / o.Blocks,
            BytesPerPeerPerBlock = (double)_bytes.Sum() / n / o.Blocks,
            MessagesSent = _network.Sent,
            MessagesDropped = _network.Dropped,
            VirtualTime = _scheduler.Now,
            WallTime = wall,
        };
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
