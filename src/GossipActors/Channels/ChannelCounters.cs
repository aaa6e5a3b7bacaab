using Prometheus;

namespace GossipActors.Channels;

/// <summary>
/// What a channel actor refused, received and sent; single owner (the actor). Each count is kept here (for status
/// and tests) and exported to the peer's Prometheus registry with a channel label (/metrics), under Fabric's name
/// where Fabric has one (gossip_state_height, gossip_state_commit_duration, gossip_payload_buffer_size).
/// </summary>
public sealed class ChannelCounters
{
    private readonly Dictionary<ChannelRejection, long> _rejected = [];
    private readonly Dictionary<string, long> _badBlocks = new(StringComparer.Ordinal);
    private readonly Gauge.Child _height;
    private readonly Histogram.Child _commitDuration;
    private readonly Gauge.Child _payloadBuffer;
    private readonly Counter _rejections;
    private readonly Counter _badBlockCounter;
    private readonly Counter.Child _fullCopies;
    private readonly Counter.Child _digests;
    private readonly Counter.Child _ordererBlocks;
    private readonly Counter.Child _duplicates;
    private readonly Counter.Child _stateInfosReceived;
    private readonly Counter.Child _stateInfosSent;
    private readonly Counter.Child _stateInfoBytesSent;
    private readonly Counter.Child _digestsIgnored;
    private readonly string _channel;
    private long _duplicatesExported;
    private long _ignoredExported;

    public ChannelCounters(CollectorRegistry registry, string channel)
    {
        _channel = channel;
        var metrics = Metrics.WithCustomRegistry(registry);
        var byChannel = new GaugeConfiguration { LabelNames = ["channel"] };
        var counterByChannel = new CounterConfiguration { LabelNames = ["channel"] };
        _height = metrics.CreateGauge("gossip_state_height", "Ledger height of this peer in the channel.", byChannel).WithLabels(channel);
        _commitDuration = metrics.CreateHistogram("gossip_state_commit_duration",
            "Time it takes to commit a block in seconds (one ledger write: the blocks that were ready, in one transaction).",
            new HistogramConfiguration { LabelNames = ["channel"] }).WithLabels(channel);
        _payloadBuffer = metrics.CreateGauge("gossip_payload_buffer_size", "Size of the payload buffer: blocks received ahead of a gap, waiting for it to fill.",
            byChannel).WithLabels(channel);
        _rejections = metrics.CreateCounter("gossip_channel_rejected_total", "Channel messages refused, by reason.",
            new CounterConfiguration { LabelNames = ["channel", "reason"] });
        _badBlockCounter = metrics.CreateCounter("gossip_channel_bad_blocks_total", "Blocks dropped because they failed verification, by reason.",
            new CounterConfiguration { LabelNames = ["channel", "reason"] });
        _fullCopies = metrics.CreateCounter("gossip_channel_full_copies_received_total",
            "Full block copies received (pushed, answered, in pull responses).", counterByChannel).WithLabels(channel);
        _ordererBlocks = metrics.CreateCounter("gossip_channel_orderer_blocks_received_total",
            "Blocks received from the ordering service by this peer's delivery client (new or not).", counterByChannel).WithLabels(channel);
        _digests = metrics.CreateCounter("gossip_channel_digests_received_total", "Block digests received (enhanced push).",
            counterByChannel).WithLabels(channel);
        _duplicates = metrics.CreateCounter("gossip_channel_duplicate_blocks_total", "Blocks received that this peer already had.",
            counterByChannel).WithLabels(channel);
        _stateInfosReceived = metrics.CreateCounter("gossip_channel_state_info_received_total", "New state infos accepted.",
            counterByChannel).WithLabels(channel);
        _stateInfosSent = metrics.CreateCounter("gossip_channel_state_info_sent_total",
            "State info messages sent (own, forwarded, snapshots).", counterByChannel).WithLabels(channel);
        _stateInfoBytesSent = metrics.CreateCounter("gossip_channel_state_info_bytes_sent_total",
            "Bytes of state info messages sent (envelopes, before Akka's framing).", counterByChannel).WithLabels(channel);
        _digestsIgnored = metrics.CreateCounter("gossip_channel_digests_ignored_total",
            "Digests of blocks far beyond any known height, or pull-digest entries beyond the bound, ignored.", counterByChannel).WithLabels(channel);
    }

    public long FullCopiesReceived { get; private set; }
    public long DigestsReceived { get; private set; }
    public long OrdererBlocksReceived { get; private set; }
    public long StateInfosAccepted { get; private set; }
    public long StateInfoMessagesSent { get; private set; }
    public long StateInfoBytesSent { get; private set; }

    /// <summary>Blocks we sent in state-transfer responses.</summary>
    public long StateTransferBlocksServed { get; set; }

    /// <summary>State-transfer requests refused: malformed range, or too many being served already.</summary>
    public long StateTransferRequestsRefused { get; set; }

    public void Height(ulong height) => _height.Set(height);

    /// <summary>A ledger write took <paramref name="took"/>.</summary>
    public void Committed(TimeSpan took) => _commitDuration.Observe(took.TotalSeconds);

    public void PayloadBuffer(int blocks) => _payloadBuffer.Set(blocks);

    public void FullCopies(int count)
    {
        FullCopiesReceived += count;
        _fullCopies.Inc(count);
    }

    public void OrdererBlock()
    {
        OrdererBlocksReceived++;
        _ordererBlocks.Inc();
    }

    public void Digest()
    {
        DigestsReceived++;
        _digests.Inc();
    }

    public void StateInfoAccepted()
    {
        StateInfosAccepted++;
        _stateInfosReceived.Inc();
    }

    public void StateInfoSent(int bytes)
    {
        StateInfoMessagesSent++;
        StateInfoBytesSent += bytes;
        _stateInfosSent.Inc();
        _stateInfoBytesSent.Inc(bytes);
    }

    public void Rejected(ChannelRejection reason)
    {
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
        _rejections.WithLabels(_channel, reason.ToString()).Inc();
    }

    public void BadBlock(string reason)
    {
        _badBlocks[reason] = _badBlocks.GetValueOrDefault(reason) + 1;
        _badBlockCounter.WithLabels(_channel, reason).Inc();
    }

    /// <summary>Brings the exported counters that the cores keep up to date (called after each input).</summary>
    public void Export(DisseminationCounters cores)
    {
        if (cores.DuplicateBlocks > _duplicatesExported)
        {
            _duplicates.Inc(cores.DuplicateBlocks - _duplicatesExported);
            _duplicatesExported = cores.DuplicateBlocks;
        }
        var ignored = cores.DigestsBeyondHeight + cores.PullOffersBeyondBound;
        if (ignored > _ignoredExported)
        {
            _digestsIgnored.Inc(ignored - _ignoredExported);
            _ignoredExported = ignored;
        }
    }

    public ChannelCountersSnapshot Snapshot(long chainRejections, DisseminationCounters cores, Ledger.StateTransferCounters stateTransfer) => new(
        new Dictionary<ChannelRejection, long>(_rejected),
        new Dictionary<string, long>(_badBlocks, StringComparer.Ordinal),
        FullCopiesReceived,
        DigestsReceived,
        StateInfosAccepted,
        chainRejections,
        cores.DuplicateBlocks,
        new StateTransferCountersSnapshot(stateTransfer.Requests, stateTransfer.Retries, stateTransfer.Timeouts,
            stateTransfer.EmptyResponses, stateTransfer.BadResponses, stateTransfer.Unsolicited, stateTransfer.GaveUp,
            stateTransfer.BlocksReceived, StateTransferBlocksServed, StateTransferRequestsRefused))
    {
        StateInfoMessagesSent = StateInfoMessagesSent,
        StateInfoBytesSent = StateInfoBytesSent,
        HellosAnswered = cores.HellosAnswered,
        BlocksServed = cores.BlocksServed,
        DigestsBeyondHeight = cores.DigestsBeyondHeight,
        PullOffersBeyondBound = cores.PullOffersBeyondBound,
        UnknownNonce = cores.UnknownNonce,
    };
}
