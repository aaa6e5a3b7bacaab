namespace GossipActors.Ledger;

/// <summary>What state transfer at one channel is built with (from peer.gossip.state.* and peer.gossip.maxMessageSize).</summary>
/// <param name="Enabled">peer.gossip.state.enabled: false = never request missing blocks (serving still works).</param>
/// <param name="CheckInterval">peer.gossip.state.checkInterval: a round; blocks reported a whole round ago that
/// gossip has not brought are requested; exclusions of bad senders last one round.</param>
/// <param name="ResponseTimeout">peer.gossip.state.responseTimeout: a request unanswered this long is retried elsewhere.</param>
/// <param name="BatchSize">peer.gossip.state.batchSize: blocks asked for (and served) per request; being this far behind
/// starts state transfer at once.</param>
/// <param name="MaxRetries">peer.gossip.state.maxRetries: retries of one range; then the round ends.</param>
/// <param name="Window">peer.gossip.state.blockBufferSize: blocks above our committed height that may be requested
/// at once (the pipeline: up to Window / BatchSize requests in flight); also the payload buffer's capacity.</param>
/// <param name="MaxResponseBytes">Block bytes in one response, kept under peer.gossip.maxMessageSize.</param>
public sealed record StateTransferOptions(
    bool Enabled,
    TimeSpan CheckInterval,
    TimeSpan ResponseTimeout,
    int BatchSize,
    int MaxRetries,
    int Window,
    long MaxResponseBytes)
{
    /// <summary>Room left in a response for the envelope around the blocks.</summary>
    public const int EnvelopeAllowance = 64 * 1024;

    public static StateTransferOptions Default { get; } = new(true, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 10, 3, 20,
        4 * 1024 * 1024 - EnvelopeAllowance);

    /// <summary>Requests in flight at most.</summary>
    public int MaxInFlight => Math.Max(1, (Window + BatchSize - 1) / BatchSize);
}
