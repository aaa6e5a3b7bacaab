namespace GossipActors.Simulation;

/// <summary>
/// A network between numbered nodes in virtual time: per-link latency, random loss, partitions and crashes.
/// Delivery calls the receiver's handler on the scheduler; every random draw comes from the seeded source.
/// </summary>
public sealed class SimulatedNetwork<TMessage>
{
    private readonly VirtualScheduler _scheduler;
    private readonly Random _random;
    private readonly Action<int, int, TMessage> _deliver;
    private readonly HashSet<int> _crashed = [];
    private int[]? _partitionOf;

    /// <param name="deliver">Called as (from, to, message) when a message arrives at a live node.</param>
    public SimulatedNetwork(VirtualScheduler scheduler, Random random, Action<int, int, TMessage> deliver)
    {
        _scheduler = scheduler;
        _random = random;
        _deliver = deliver;
    }

    /// <summary>One-way latency of a link; the default is a constant 10 ms.</summary>
    public Func<int, int, TimeSpan> Latency { get; set; } = (_, _) => TimeSpan.FromMilliseconds(10);

    /// <summary>Probability that any one message is lost.</summary>
    public double LossRate { get; set; }

    public long Sent { get; private set; }
    public long Dropped { get; private set; }

    public bool IsCrashed(int node) => _crashed.Contains(node);

    public void Crash(int node) => _crashed.Add(node);

    public void Restart(int node) => _crashed.Remove(node);

    /// <summary>Splits the nodes into groups: <paramref name="groupOf"/>[node] names each node's side.</summary>
    public void Partition(int[] groupOf) => _partitionOf = (int[])groupOf.Clone();

    public void Heal() => _partitionOf = null;

    public bool CanReach(int from, int to) =>
        !_crashed.Contains(from) && !_crashed.Contains(to) && (_partitionOf is null || _partitionOf[from] == _partitionOf[to]);

    public void Send(int from, int to, TMessage message)
    {
        Sent++;
        if (!CanReach(from, to) || (LossRate > 0 && _random.NextDouble() < LossRate))
        {
            Dropped++;
            return;
        }
        _scheduler.After(Latency(from, to), () =>
        {
            // A node that crashed or was cut off while the message was in flight does not receive it.
            if (CanReach(from, to))
            {
                _deliver(from, to, message);
            }
            else
            {
                Dropped++;
            }
        });
    }
}
