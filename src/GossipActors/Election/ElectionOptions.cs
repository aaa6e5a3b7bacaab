using GossipActors.Configuration;

namespace GossipActors.Election;

/// <summary>How the election actor of a channel runs (from peer.gossip.useLeaderElection, orgLeader, election.*).</summary>
/// <param name="UseLeaderElection">True: dynamic election. False: static, <paramref name="OrgLeader"/> decides.</param>
/// <param name="OrgLeader">Static only: true = leader at once and forever, false = standby forever.</param>
public sealed record ElectionOptions(bool UseLeaderElection, bool OrgLeader, ElectionCoreSettings Core)
{
    public static ElectionOptions Dynamic(ElectionCoreSettings core) => new(true, false, core);

    public static ElectionOptions StaticLeader { get; } = new(false, true, new ElectionCoreSettings());

    public static ElectionOptions StaticStandby { get; } = new(false, false, new ElectionCoreSettings());

    public static ElectionOptions From(ElectionSettings settings) => new(settings.UseLeaderElection, settings.OrgLeader,
        new ElectionCoreSettings
        {
            StartupGracePeriod = settings.StartupGracePeriod,
            MembershipSampleInterval = settings.MembershipSampleInterval,
            LeaderAliveThreshold = settings.LeaderAliveThreshold,
            LeaderElectionDuration = settings.LeaderElectionDuration,
            FastFailover = settings.FastFailover,
        });
}
