namespace GossipActors.Simulation;

/// <summary>
/// Membership traffic on the peers' CPU (optional, <see cref="DisseminationSimulationOptions.AliveInterval"/>): every
/// aliveTimeInterval each peer signs its alive message, and, as Fabric's infect-and-die spreads every alive once from
/// each peer to propagatePeerNum others, each peer receives about propagatePeerNum copies of each of the N alive
/// messages, each decoded and verified (comm checks the signature before freshness) and forwards the new ones to
/// propagatePeerNum peers. The membership view itself is not simulated here (every peer is alive); only its CPU,
/// spread over the interval in slices, competes with block dissemination for the cores.
/// </summary>
public sealed partial class DisseminationSimulation
{
    /// <summary>Every peer's idle CPU (<see cref="MessageCosts.IdleUsPerSecond"/>: Akka's and DotNetty's own timers and
    /// heartbeats), a slice every <see cref="MessageCosts.IdleSlice"/> at a random phase, while the peer is present. It
    /// runs on the peer's background lane (other threads than its actors'), so it delays them only through the shared
    /// cores. Its phases come from a random source of their own: the other draws stay as without it.</summary>
    private void StartIdleLoad()
    {
        if (_costs.IdleUsPerSecond <= 0)
        {
            return;
        }
        var phases = new Random(_options.Seed);
        var n = _peers.Length;
        var every = MessageCosts.IdleSlice;
        var slice = _costs.IdleCost(every);
        for (var i = 0; i < n; i++)
        {
            var peer = i;
            void Next(TimeSpan at) => _scheduler.At(at, () =>
            {
                if (_joined[peer])
                {
                    _cpu.Run(BackgroundLane(peer), _scheduler.Now, slice);
                }
                Next(_scheduler.Now + every); // the run's end bounds this
            });
            Next(every * phases.NextDouble());
        }
    }

    private int BackgroundLane(int peer) => peer + 2 * _peers.Length;

    private void StartMembershipLoad()
    {
        if (_options.AliveInterval is not { } interval)
        {
            return;
        }
        var n = _peers.Length;
        var slices = Math.Min(n, 20);
        var every = interval / slices;
        var fanout = _options.EffectiveStateInfo.Fanout;
        // Per peer and interval: one signature; infect-and-die brings each alive to a fraction r of the peers, each of
        // which forwards it once to fanout peers, so fanout x r copies of each of the n alives are received, decoded
        // and verified, and as many sent. Each is a message on its own, far apart: it pays the wake-ups on both sides.
        // An alive envelope: ~250 B with the frame (no certificate after publishCertPeriod).
        const int aliveBytes = 250;
        var copies = AliveCopiesPerPeer(fanout, n);
        var perInterval = _costs.SignCost
            + (_costs.ReceiveCost(aliveBytes, signed: true, blocks: 0) * copies)
            + (_costs.SendCost(aliveBytes) * copies);
        var slice = perInterval / slices;
        for (var i = 0; i < n; i++)
        {
            var peer = i;
            var phase = every * _random.NextDouble();
            void Next(TimeSpan at) => _scheduler.At(at, () =>
            {
                if (_joined[peer])
                {
                    _cpu.Run(peer, _scheduler.Now, slice);
                }
                Next(_scheduler.Now + every); // the run's end bounds this
            });
            Next(phase);
        }
    }

    /// <summary>
    /// Alive messages each peer receives (and sends) per alive interval: fanout x r x n, where r is the fraction of the
    /// peers an infect-and-die rumour with this fan-out reaches, r = 1 - exp(-fanout x r) (0.94 for fan-out 3).
    /// </summary>
    internal static double AliveCopiesPerPeer(int fanout, int peers)
    {
        var reach = 1.0;
        for (var k = 0; k < 100; k++)
        {
            reach = 1 - Math.Exp(-fanout * reach);
        }
        return fanout * reach * peers;
    }

    private double AliveMessagesPerPeerPerBlock =>
        _options.AliveInterval is { } interval
            ? AliveCopiesPerPeer(_options.EffectiveStateInfo.Fanout, _peers.Length) * (_options.BlockInterval / interval)
            : 0;
}
