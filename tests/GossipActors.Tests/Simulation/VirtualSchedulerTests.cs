using GossipActors.Simulation;
using Xunit;

namespace GossipActors.Tests.Simulation;

public sealed class VirtualSchedulerTests
{
    [Fact]
    public void Events_run_in_time_order_and_same_instant_events_in_scheduling_order()
    {
        var scheduler = new VirtualScheduler();
        var trace = new List<string>();
        scheduler.At(TimeSpan.FromSeconds(2), () => trace.Add("b"));
        scheduler.At(TimeSpan.FromSeconds(1), () => trace.Add("a"));
        scheduler.At(TimeSpan.FromSeconds(2), () =>
        {
            trace.Add($"c@{scheduler.Now.TotalSeconds}");
            scheduler.After(TimeSpan.FromSeconds(1), () => trace.Add($"d@{scheduler.Now.TotalSeconds}"));
        });

        scheduler.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b", "c@2", "d@3"], trace);
        Assert.Equal(TimeSpan.FromSeconds(10), scheduler.Now);
    }

    [Fact]
    public void Partitioned_and_crashed_nodes_receive_nothing_and_healing_restores_delivery()
    {
        var scheduler = new VirtualScheduler();
        var received = new List<(int From, int To, string Message)>();
        var network = new SimulatedNetwork<string>(scheduler, new Random(1), (f, t, m) => received.Add((f, t, m)));

        network.Partition([0, 0, 1]);
        network.Send(0, 1, "same side");
        network.Send(0, 2, "across");
        network.Crash(1);
        network.Send(2, 1, "to crashed");
        scheduler.Run(TimeSpan.FromSeconds(1));
        network.Heal();
        network.Restart(1);
        network.Send(0, 2, "healed");
        scheduler.Run(TimeSpan.FromSeconds(2));

        // "same side" was in flight when node 1 crashed, so it is lost too.
        Assert.Equal([(0, 2, "healed")], received);
        Assert.Equal(4, network.Sent);
        Assert.Equal(3, network.Dropped);
    }
}
