namespace GossipActors.Discovery;

/// <summary>
/// Timers and fanouts of discovery, named after Fabric's <c>peer.gossip.*</c> keys. Defaults are Fabric's, except
/// <see cref="AntiEntropyInterval"/>, which Fabric does not have (see docs/membership.md).
/// </summary>
public sealed record MembershipSettings
{
    /// <summary>peer.gossip.aliveTimeInterval: how often a peer publishes its own alive message.</summary>
    public TimeSpan AliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>peer.gossip.aliveExpirationTimeout: a peer unheard for this long is dead.</summary>
    public TimeSpan AliveExpirationTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>peer.gossip.reconnectInterval: dead peers and unknown bootstrap/anchor endpoints are re-contacted this often.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>peer.gossip.msgExpirationFactor: a dead peer is purged after AliveExpirationTimeout × this.</summary>
    public int MsgExpirationFactor { get; init; } = 20;

    /// <summary>peer.gossip.propagatePeerNum: how many random peers each new alive message is forwarded to (once).</summary>
    public int PropagatePeerNum { get; init; } = 3;

    /// <summary>peer.gossip.maxPropagationBurstSize: forwards are flushed when this many are pending.</summary>
    public int MaxPropagationBurstSize { get; init; } = 10;

    /// <summary>peer.gossip.maxPropagationBurstLatency: pending forwards wait at most this long (the shell's flush timer).</summary>
    public TimeSpan MaxPropagationBurstLatency { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// peer.gossip.membership.antiEntropyInterval (ours): how often a peer asks one random alive peer for its whole view
    /// (membership request/response). Fills the holes infect-and-die leaves; <see cref="TimeSpan.Zero"/> = off (Fabric).
    /// </summary>
    public TimeSpan AntiEntropyInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// peer.gossip.maxConnectionAttempts: a bootstrap or anchor endpoint never heard from is contacted this many times
    /// (ReconnectInterval apart), then given up on.
    /// </summary>
    public int MaxConnectionAttempts { get; init; } = 120;

    /// <summary>peer.gossip.publishCertPeriod: for this long after start our alive messages carry our certificate.</summary>
    public TimeSpan PublishCertPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>peer.gossip.membershipTrackerInterval: how often the shell logs who came and went since the last log.</summary>
    public TimeSpan MembershipTrackerInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PurgeAfter => AliveExpirationTimeout * MsgExpirationFactor;

    /// <summary>
    /// How often the shell should call <see cref="MembershipCore.Tick"/>: Fabric's aliveExpirationCheckInterval
    /// (aliveExpirationTimeout / 10), or the alive interval if that is shorter.
    /// </summary>
    public TimeSpan TickInterval => AliveInterval < AliveExpirationTimeout / 10 ? AliveInterval : AliveExpirationTimeout / 10;

    /// <summary>
    /// A tick this much (a tenth of <see cref="TickInterval"/>) before a periodic deadline counts as on time: ticks of
    /// a periodic timer drift a few milliseconds around their grid, and one that comes just before the alive's
    /// deadline would otherwise leave it to the next tick, a whole tick late.
    /// </summary>
    public TimeSpan TickTolerance => TickInterval / 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting, its value and what is allowed.</summary>
    public MembershipSettings Validate()
    {
        Positive(AliveInterval, "peer.gossip.aliveTimeInterval");
        Positive(AliveExpirationTimeout, "peer.gossip.aliveExpirationTimeout");
        Positive(ReconnectInterval, "peer.gossip.reconnectInterval");
        Positive(MaxPropagationBurstLatency, "peer.gossip.maxPropagationBurstLatency");
        if (AliveExpirationTimeout <= AliveInterval)
        {
            throw new ArgumentException(
                $"peer.gossip.aliveExpirationTimeout = {AliveExpirationTimeout} must be greater than peer.gossip.aliveTimeInterval = {AliveInterval}, or every peer expires between two of its own alive messages.");
        }
        AtLeastOne(MsgExpirationFactor, "peer.gossip.msgExpirationFactor");
        AtLeastOne(PropagatePeerNum, "peer.gossip.propagatePeerNum");
        AtLeastOne(MaxPropagationBurstSize, "peer.gossip.maxPropagationBurstSize");
        AtLeastOne(MaxConnectionAttempts, "peer.gossip.maxConnectionAttempts");
        Positive(PublishCertPeriod, "peer.gossip.publishCertPeriod");
        Positive(MembershipTrackerInterval, "peer.gossip.membershipTrackerInterval");
        if (AntiEntropyInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"peer.gossip.membership.antiEntropyInterval = {AntiEntropyInterval} must be zero (off) or positive.");
        }
        return this;
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{key} = {value} must be a positive duration.");
        }
    }

    private static void AtLeastOne(int value, string key)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{key} = {value} must be at least 1.");
        }
    }
}
