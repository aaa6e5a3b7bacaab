namespace GossipActors.Channels;

/// <summary>What a channel actor refused or received; single owner (the actor).</summary>
public sealed class ChannelCounters
{
    private readonly Dictionary<ChannelRejection, long> _rejected = [];
    private readonly Dictionary<string, long> _badBlocks = new(StringComparer.Ordinal);

    public long FullCopiesReceived { get; set; }
    public long DigestsReceived { get; set; }
    public long StateInfosAccepted { get; set; }

    /// <summary>Blocks we sent in state-transfer responses.</summary>
    public long StateTransferBlocksServed { get; set; }

    /// <summary>State-transfer requests refused: malformed range, or too many being served already.</summary>
    public long StateTransferRequestsRefused { get; set; }

    public void Rejected(ChannelRejection reason) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;

    public void BadBlock(string reason) => _badBlocks[reason] = _badBlocks.GetValueOrDefault(reason) + 1;

    public ChannelCountersSnapshot Snapshot(long chainRejections, long duplicateBlocks, Ledger.StateTransferCounters stateTransfer) => new(
        new Dictionary<ChannelRejection, long>(_rejected),
        new Dictionary<string, long>(_badBlocks, StringComparer.Ordinal),
        FullCopiesReceived,
        DigestsReceived,
        StateInfosAccepted,
        chainRejections,
        duplicateBlocks,
        new StateTransferCountersSnapshot(stateTransfer.Requests, stateTransfer.Retries, stateTransfer.Timeouts,
            stateTransfer.EmptyResponses, stateTransfer.BadResponses, stateTransfer.Unsolicited, stateTransfer.GaveUp,
            stateTransfer.BlocksReceived, StateTransferBlocksServed, StateTransferRequestsRefused));
}
