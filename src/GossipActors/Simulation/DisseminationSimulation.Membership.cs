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
        // Per peer and interval: one signature, fanout copies of each of n alives received and verified, each new one
        // (n) forwarded to fanout peers. An alive envelope: ~250 B with the frame (no certificate after publishCertPeriod).
        const int aliveBytes = 250;
        var perInterval = _costs.SignCost
            + (_costs.ReceiveCost(aliveBytes, signed: true, blocks: 0) * fanout * n)
            + (_costs.SendCost(aliveBytes) * fanout * n);
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
}
