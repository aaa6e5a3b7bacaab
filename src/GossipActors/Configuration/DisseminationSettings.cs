namespace GossipActors.Configuration;

/// <summary>Block dissemination: which algorithm and its knobs.</summary>
public sealed record DisseminationSettings
{
    public static DisseminationSettings Default => PeerSettings.Default.Dissemination;

    [SettingKey("peer.gossip.dissemination.mode")] public required DisseminationMode Mode { get; init; }

    [SettingKey("peer.gossip.dissemination.pushTtl")] public required int PushTtl { get; init; }

    [SettingKey("peer.gossip.dissemination.digestTtl")] public required int DigestTtl { get; init; }

    /// <summary>Fanout of the enhanced full-block push phase.</summary>
    [SettingKey("peer.gossip.dissemination.pushPeerNum")] public required int PushPeerNum { get; init; }

    /// <summary>Fanout of the enhanced digest phase.</summary>
    [SettingKey("peer.gossip.dissemination.digestPeerNum")] public required int DigestPeerNum { get; init; }

    [SettingKey("peer.gossip.maxBlockCountToStore")] public required int MaxBlockCountToStore { get; init; }

    internal static DisseminationSettings Read(SettingsReader r) => new()
    {
        Mode = ReadMode(r),
        PushTtl = r.Int("peer.gossip.dissemination.pushTtl", min: 1),
        DigestTtl = r.Int("peer.gossip.dissemination.digestTtl", min: 1),
        PushPeerNum = r.Int("peer.gossip.dissemination.pushPeerNum", min: 1),
        DigestPeerNum = r.Int("peer.gossip.dissemination.digestPeerNum", min: 1),
        MaxBlockCountToStore = r.Int("peer.gossip.maxBlockCountToStore", min: 1),
    };

    private static DisseminationMode ReadMode(SettingsReader r)
    {
        const string Key = "peer.gossip.dissemination.mode";
        const string Allowed = "must be enhanced or fabric";
        var text = r.Scalar(Key, Allowed);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
            case "enhanced":
                return DisseminationMode.Enhanced;
            case "fabric":
                return DisseminationMode.Fabric;
            default:
                r.Report(Key, SettingsReader.Quote(text), Allowed);
                return DisseminationMode.Enhanced;
        }
    }
}
