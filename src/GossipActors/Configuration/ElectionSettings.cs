namespace GossipActors.Configuration;

/// <summary>
/// Who pulls blocks from the ordering service. Static: UseLeaderElection = false with OrgLeader true (leader) or
/// false (standby). Dynamic: UseLeaderElection = true, OrgLeader = false. Both true is rejected.
/// </summary>
public sealed record ElectionSettings
{
    public static ElectionSettings Default => PeerSettings.Default.Election;

    [SettingKey("peer.gossip.useLeaderElection")] public required bool UseLeaderElection { get; init; }

    [SettingKey("peer.gossip.orgLeader")] public required bool OrgLeader { get; init; }

    [SettingKey("peer.gossip.election.startupGracePeriod")] public required TimeSpan StartupGracePeriod { get; init; }

    [SettingKey("peer.gossip.election.membershipSampleInterval")] public required TimeSpan MembershipSampleInterval { get; init; }

    [SettingKey("peer.gossip.election.leaderAliveThreshold")] public required TimeSpan LeaderAliveThreshold { get; init; }

    [SettingKey("peer.gossip.election.leaderElectionDuration")] public required TimeSpan LeaderElectionDuration { get; init; }

    [SettingKey("peer.gossip.election.fastFailover")] public required bool FastFailover { get; init; }

    /// <summary>A static leader: pulls from the ordering service without an election.</summary>
    public bool IsStaticLeader => !UseLeaderElection && OrgLeader;

    internal static ElectionSettings Read(SettingsReader r)
    {
        var settings = new ElectionSettings
        {
            UseLeaderElection = r.Bool("peer.gossip.useLeaderElection"),
            OrgLeader = r.Bool("peer.gossip.orgLeader"),
            StartupGracePeriod = r.Duration("peer.gossip.election.startupGracePeriod"),
            MembershipSampleInterval = r.Duration("peer.gossip.election.membershipSampleInterval"),
            LeaderAliveThreshold = r.Duration("peer.gossip.election.leaderAliveThreshold"),
            LeaderElectionDuration = r.Duration("peer.gossip.election.leaderElectionDuration"),
            FastFailover = r.Bool("peer.gossip.election.fastFailover"),
        };

        if (settings.UseLeaderElection && settings.OrgLeader)
        {
            r.Report(new SettingsProblem(
                "peer.gossip.useLeaderElection, peer.gossip.orgLeader",
                "true, true",
                "they are mutually exclusive; use useLeaderElection = true with orgLeader = false (dynamic election), "
                + "or useLeaderElection = false with orgLeader = true (static leader) or false (static standby)")
            {
                Message = "peer.gossip.useLeaderElection = true together with peer.gossip.orgLeader = true is not allowed "
                          + "(environment variables CORE_PEER_GOSSIP_USELEADERELECTION and CORE_PEER_GOSSIP_ORGLEADER): "
                          + "they are mutually exclusive; use useLeaderElection = true with orgLeader = false (dynamic "
                          + "election), or useLeaderElection = false with orgLeader = true (static leader) or false "
                          + "(static standby)",
            });
        }

        return settings;
    }
}
