namespace GossipActors.Configuration;

/// <summary>The HTTP operations endpoint (/healthz, /metrics, /status).</summary>
public sealed record OperationsSettings
{
    public static OperationsSettings Default => PeerSettings.Default.Operations;

    /// <summary>host:port to serve on (port 0 = any free port); "" = off.</summary>
    [SettingKey("peer.operations.listenAddress")] public required string ListenAddress { get; init; }

    public bool Enabled => ListenAddress.Length > 0;

    internal static OperationsSettings Read(SettingsReader r) => new()
    {
        ListenAddress = r.Endpoint("peer.operations.listenAddress", allowEmpty: true, allowPortZero: true),
    };
}
