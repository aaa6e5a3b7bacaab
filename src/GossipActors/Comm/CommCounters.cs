using Prometheus;

namespace GossipActors.Comm;

/// <summary>
/// The comm actor's counters: kept in memory for <see cref="GetCommStats"/> and exported to the peer's Prometheus
/// registry under Fabric-like names (gossip_comm_*).
/// </summary>
public sealed class CommCounters
{
    private readonly Dictionary<Rejection, long> _rejections = [];
    private readonly Counter _received;
    private readonly Counter _sent;
    private readonly Counter _overflow;
    private readonly Counter _rejected;
    private long _receivedCount;
    private long _sentCount;
    private long _duplicates;
    private long _overflowCount;
    private long _faultDrops;
    private long _staleDropped;

    public CommCounters(CollectorRegistry registry)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        _received = metrics.CreateCounter("gossip_comm_messages_received", "Envelopes received from other peers.");
        _sent = metrics.CreateCounter("gossip_comm_messages_sent", "Envelopes sent to other peers.");
        _overflow = metrics.CreateCounter("gossip_comm_overflow_count", "Envelopes dropped because a peer's send queue was full.");
        _rejected = metrics.CreateCounter("gossip_comm_messages_rejected", "Inbound envelopes rejected by the guard ladder.",
            new CounterConfiguration { LabelNames = ["reason"] });
    }

    public void Received() { _receivedCount++; _received.Inc(); }
    public void Sent() { _sentCount++; _sent.Inc(); }
    public void Duplicate() => _duplicates++;
    public void QueueOverflow() { _overflowCount++; _overflow.Inc(); }
    public void FaultFilterDrop() => _faultDrops++;

    /// <summary>A signed statement older than one already accepted: normal anti-entropy, dropped, not a rejection.</summary>
    public void StaleDropped() => _staleDropped++;

    public void Rejected(Rejection reason)
    {
        _rejections[reason] = _rejections.GetValueOrDefault(reason) + 1;
        _rejected.WithLabels(reason.ToString()).Inc();
    }

    public CommStats Snapshot(int knownIdentities, CommSizes sizes) =>
        new(new Dictionary<Rejection, long>(_rejections), _receivedCount, _sentCount, _duplicates, _overflowCount, _faultDrops,
            knownIdentities, sizes)
        {
            StaleDropped = _staleDropped,
        };
}
