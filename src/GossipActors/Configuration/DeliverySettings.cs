namespace GossipActors.Configuration;

/// <summary>The delivery client: how a leader pulls blocks from the ordering service.</summary>
public sealed record DeliverySettings
{
    public static DeliverySettings Default => PeerSettings.Default.Delivery;

    [SettingKey("peer.deliveryclient.blockGossipEnabled")] public required bool BlockGossipEnabled { get; init; }

    [SettingKey("peer.deliveryclient.reconnectTotalTimeThreshold")] public required TimeSpan ReconnectTotalTimeThreshold { get; init; }

    [SettingKey("peer.deliveryclient.connTimeout")] public required TimeSpan ConnTimeout { get; init; }

    [SettingKey("peer.deliveryclient.reConnectBackoffThreshold")] public required TimeSpan ReConnectBackoffThreshold { get; init; }

    internal static DeliverySettings Read(SettingsReader r) => new()
    {
        BlockGossipEnabled = r.Bool("peer.deliveryclient.blockGossipEnabled"),
        ReconnectTotalTimeThreshold = r.Duration("peer.deliveryclient.reconnectTotalTimeThreshold"),
        ConnTimeout = r.Duration("peer.deliveryclient.connTimeout"),
        ReConnectBackoffThreshold = r.Duration("peer.deliveryclient.reConnectBackoffThreshold"),
    };
}
