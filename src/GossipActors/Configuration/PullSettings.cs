namespace GossipActors.Configuration;

/// <summary>The pull (anti-entropy) rounds: hello -> digest -> request -> response.</summary>
public sealed record PullSettings
{
    public static PullSettings Default => PeerSettings.Default.Pull;

    [SettingKey("peer.gossip.pullInterval")] public required TimeSpan PullInterval { get; init; }

    [SettingKey("peer.gossip.pullPeerNum")] public required int PullPeerNum { get; init; }

    [SettingKey("peer.gossip.digestWaitTime")] public required TimeSpan DigestWaitTime { get; init; }

    [SettingKey("peer.gossip.requestWaitTime")] public required TimeSpan RequestWaitTime { get; init; }

    [SettingKey("peer.gossip.responseWaitTime")] public required TimeSpan ResponseWaitTime { get; init; }

    internal static PullSettings Read(SettingsReader r)
    {
        var settings = new PullSettings
        {
            PullInterval = r.Duration("peer.gossip.pullInterval"),
            PullPeerNum = r.Int("peer.gossip.pullPeerNum", min: 1),
            DigestWaitTime = r.Duration("peer.gossip.digestWaitTime"),
            RequestWaitTime = r.Duration("peer.gossip.requestWaitTime"),
            ResponseWaitTime = r.Duration("peer.gossip.responseWaitTime"),
        };

        var round = settings.DigestWaitTime + settings.ResponseWaitTime;
        if (settings.PullInterval <= round)
        {
            r.Report(
                "peer.gossip.pullInterval",
                DurationFormat.Format(settings.PullInterval),
                "must be greater than peer.gossip.digestWaitTime + peer.gossip.responseWaitTime "
                + $"({DurationFormat.Format(round)}), so that a pull round ends before the next begins");
        }

        return settings;
    }
}
