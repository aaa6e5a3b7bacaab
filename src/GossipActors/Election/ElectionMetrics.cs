using Prometheus;

namespace GossipActors.Election;

/// <summary>
/// One channel's election figures: in memory for <see cref="ElectionStatus"/> and in the peer's Prometheus registry
/// (gossip_leader_election_*, labelled by channel). Single owner (the election actor).
/// </summary>
public sealed class ElectionMetrics
{
    private readonly Dictionary<ElectionRejection, long> _rejected = [];
    private readonly Gauge.Child _leader;
    private readonly Counter.Child _started;
    private readonly Counter.Child _changes;
    private readonly Counter _rejectedByReason;
    private readonly string _channel;

    public ElectionMetrics(CollectorRegistry registry, string channel)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        _channel = channel;
        _leader = metrics.CreateGauge("gossip_leader_election_leader", "1 while this peer is its org's leader on the channel, else 0.",
            new GaugeConfiguration { LabelNames = ["channel"] }).WithLabels(channel);
        _started = metrics.CreateCounter("gossip_leader_election_elections_started", "Elections this peer started (proposals made).",
            new CounterConfiguration { LabelNames = ["channel"] }).WithLabels(channel);
        _changes = metrics.CreateCounter("gossip_leader_election_leadership_changes",
            "Times this peer became or stopped being the leader.", new CounterConfiguration { LabelNames = ["channel"] }).WithLabels(channel);
        _rejectedByReason = metrics.CreateCounter("gossip_leader_election_messages_rejected", "Leadership messages refused, by reason.",
            new CounterConfiguration { LabelNames = ["channel", "reason"] });
    }

    public long ElectionsStarted { get; private set; }
    public long LeadershipChanges { get; private set; }

    public void Leader(bool isLeader, bool changed)
    {
        _leader.Set(isLeader ? 1 : 0);
        if (changed)
        {
            LeadershipChanges++;
            _changes.Inc();
        }
    }

    public void Started(int count)
    {
        ElectionsStarted += count;
        _started.Inc(count);
    }

    public void Rejected(ElectionRejection reason)
    {
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
        _rejectedByReason.WithLabels(_channel, reason.ToString()).Inc();
    }

    public IReadOnlyDictionary<ElectionRejection, long> RejectedSnapshot() => new Dictionary<ElectionRejection, long>(_rejected);
}
