using Prometheus;

namespace GossipActors.Ordering;

/// <summary>
/// The orderer's figures in its Prometheus registry (/metrics of its operations endpoint, docs/operations.md).
/// Labels come only from the configured channels and from fixed reason names, never from what a client wrote, so a
/// client cannot grow the registry. Single owner (the orderer actor).
/// </summary>
public sealed class OrdererMetrics
{
    private readonly Counter _accepted;
    private readonly Counter _broadcastRejected;
    private readonly Counter _deliverRejected;
    private readonly Counter _envelopesRejected;
    private readonly Counter _blocksSent;
    private readonly Counter _bytesSent;
    private readonly Gauge _height;
    private readonly Gauge _streams;

    public OrdererMetrics(CollectorRegistry registry, IEnumerable<string> channels)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        var byChannel = new CounterConfiguration { LabelNames = ["channel"] };
        var byReason = new CounterConfiguration { LabelNames = ["reason"] };
        _accepted = metrics.CreateCounter("orderer_broadcast_accepted_total", "Transactions accepted (written to disk, waiting for or in a block).", byChannel);
        _broadcastRejected = metrics.CreateCounter("orderer_broadcast_rejected_total", "Broadcast transactions refused, by reason.", byReason);
        _deliverRejected = metrics.CreateCounter("orderer_deliver_rejected_total", "Deliver requests refused, by reason.", byReason);
        _envelopesRejected = metrics.CreateCounter("orderer_envelopes_rejected_total",
            "Ordering envelopes refused before they were read as a broadcast or a deliver request, by reason.", byReason);
        _blocksSent = metrics.CreateCounter("orderer_deliver_sent_blocks_total", "Blocks sent on deliver streams.", byChannel);
        _bytesSent = metrics.CreateCounter("orderer_deliver_sent_bytes_total", "Bytes of blocks sent on deliver streams (the block bytes, before framing).", byChannel);
        _height = metrics.CreateGauge("ledger_blockchain_height", "Height of the chain (Fabric's name).", new GaugeConfiguration { LabelNames = ["channel"] });
        _streams = metrics.CreateGauge("orderer_deliver_streams", "Deliver streams open.");
        foreach (var channel in channels)
        {
            _accepted.WithLabels(channel);
            _blocksSent.WithLabels(channel);
            _bytesSent.WithLabels(channel);
        }
    }

    public void Accepted(string channel) => _accepted.WithLabels(channel).Inc();

    public void BroadcastRejected(string reason) => _broadcastRejected.WithLabels(reason).Inc();

    public void DeliverRejected(string reason) => _deliverRejected.WithLabels(reason).Inc();

    public void EnvelopeRejected(string reason) => _envelopesRejected.WithLabels(reason).Inc();

    public void Sent(string channel, int bytes)
    {
        _blocksSent.WithLabels(channel).Inc();
        _bytesSent.WithLabels(channel).Inc(bytes);
    }

    public void Height(string channel, ulong height) => _height.WithLabels(channel).Set(height);

    public void Streams(int open) => _streams.Set(open);
}
