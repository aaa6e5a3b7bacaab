namespace GossipActors.Configuration;

/// <summary>State transfer: fetching missing blocks from peers that have them.</summary>
public sealed record StateTransferSettings
{
    public static StateTransferSettings Default => PeerSettings.Default.StateTransfer;

    [SettingKey("peer.gossip.state.enabled")] public required bool Enabled { get; init; }

    [SettingKey("peer.gossip.state.checkInterval")] public required TimeSpan CheckInterval { get; init; }

    [SettingKey("peer.gossip.state.responseTimeout")] public required TimeSpan ResponseTimeout { get; init; }

    [SettingKey("peer.gossip.state.batchSize")] public required int BatchSize { get; init; }

    [SettingKey("peer.gossip.state.blockBufferSize")] public required int BlockBufferSize { get; init; }

    /// <summary>Retries of one request; 0 = none.</summary>
    [SettingKey("peer.gossip.state.maxRetries")] public required int MaxRetries { get; init; }

    internal static StateTransferSettings Read(SettingsReader r) => new()
    {
        Enabled = r.Bool("peer.gossip.state.enabled"),
        CheckInterval = r.Duration("peer.gossip.state.checkInterval"),
        ResponseTimeout = r.Duration("peer.gossip.state.responseTimeout"),
        BatchSize = r.Int("peer.gossip.state.batchSize", min: 1),
        BlockBufferSize = r.Int("peer.gossip.state.blockBufferSize", min: 1),
        MaxRetries = r.Int("peer.gossip.state.maxRetries", min: 0),
    };
}
