namespace GossipActors.Configuration;

/// <summary>Membership and communication: discovery, alive messages, push batching, connections.</summary>
public sealed record GossipSettings
{
    /// <summary>The defaults of reference.conf.</summary>
    public static GossipSettings Default => PeerSettings.Default.Gossip;

    /// <summary>Same-org peers contacted at startup (host:port).</summary>
    [SettingKey("peer.gossip.bootstrap")] public required IReadOnlyList<string> Bootstrap { get; init; }

    /// <summary>Anchor peers of other organisations (host:port).</summary>
    [SettingKey("peer.gossip.anchorPeers")] public required IReadOnlyList<string> AnchorPeers { get; init; }

    /// <summary>Endpoint published to the own org: peer.gossip.endpoint, or peer.address when that is "".</summary>
    [SettingKey("peer.gossip.endpoint")] public required string Endpoint { get; init; }

    /// <summary>Endpoint published to other orgs; "" = invisible outside the own org.</summary>
    [SettingKey("peer.gossip.externalEndpoint")] public required string ExternalEndpoint { get; init; }

    [SettingKey("peer.gossip.membershipTrackerInterval")] public required TimeSpan MembershipTrackerInterval { get; init; }

    [SettingKey("peer.gossip.maxPropagationBurstLatency")] public required TimeSpan MaxPropagationBurstLatency { get; init; }

    [SettingKey("peer.gossip.maxPropagationBurstSize")] public required int MaxPropagationBurstSize { get; init; }

    [SettingKey("peer.gossip.propagateIterations")] public required int PropagateIterations { get; init; }

    [SettingKey("peer.gossip.propagatePeerNum")] public required int PropagatePeerNum { get; init; }

    [SettingKey("peer.gossip.requestStateInfoInterval")] public required TimeSpan RequestStateInfoInterval { get; init; }

    [SettingKey("peer.gossip.publishStateInfoInterval")] public required TimeSpan PublishStateInfoInterval { get; init; }

    /// <summary>Resolved: the configured value, or PublishStateInfoInterval x 100 when configured as "".</summary>
    [SettingKey("peer.gossip.stateInfoRetentionInterval")] public required TimeSpan StateInfoRetentionInterval { get; init; }

    [SettingKey("peer.gossip.publishCertPeriod")] public required TimeSpan PublishCertPeriod { get; init; }

    [SettingKey("peer.gossip.skipBlockVerification")] public required bool SkipBlockVerification { get; init; }

    [SettingKey("peer.gossip.dialTimeout")] public required TimeSpan DialTimeout { get; init; }

    [SettingKey("peer.gossip.connTimeout")] public required TimeSpan ConnTimeout { get; init; }

    /// <summary>Envelopes waiting to be read from one connection; beyond it they are dropped and counted.</summary>
    [SettingKey("peer.gossip.recvBuffSize")] public required int RecvBuffSize { get; init; }

    /// <summary>Connections with envelopes waiting, outbound links and pending handshakes: each at most this many.</summary>
    [SettingKey("peer.gossip.comm.maxConnections")] public required int MaxConnections { get; init; }

    /// <summary>Authenticated sessions held; the least recently active is evicted.</summary>
    [SettingKey("peer.gossip.comm.maxSessions")] public required int MaxSessions { get; init; }

    /// <summary>Verified certificates kept per organisation; an org beyond it evicts its own oldest.</summary>
    [SettingKey("peer.gossip.comm.maxIdentitiesPerOrg")] public required int MaxIdentitiesPerOrg { get; init; }

    [SettingKey("peer.gossip.sendBuffSize")] public required int SendBuffSize { get; init; }

    [SettingKey("peer.gossip.sendQueueSize")] public required int SendQueueSize { get; init; }

    /// <summary>Largest accepted envelope, in bytes.</summary>
    [SettingKey("peer.gossip.maxMessageSize")] public required int MaxMessageSize { get; init; }

    [SettingKey("peer.gossip.aliveTimeInterval")] public required TimeSpan AliveTimeInterval { get; init; }

    [SettingKey("peer.gossip.aliveExpirationTimeout")] public required TimeSpan AliveExpirationTimeout { get; init; }

    [SettingKey("peer.gossip.reconnectInterval")] public required TimeSpan ReconnectInterval { get; init; }

    [SettingKey("peer.gossip.maxConnectionAttempts")] public required int MaxConnectionAttempts { get; init; }

    [SettingKey("peer.gossip.msgExpirationFactor")] public required int MsgExpirationFactor { get; init; }

    /// <summary>How often a peer asks a random peer for its whole view; <see cref="TimeSpan.Zero"/> = off (Fabric).</summary>
    [SettingKey("peer.gossip.membership.antiEntropyInterval")] public required TimeSpan AntiEntropyInterval { get; init; }

    /// <summary>When alive messages expire and a dead peer is purged: AliveExpirationTimeout x MsgExpirationFactor.</summary>
    public TimeSpan AliveMessageExpiration => AliveExpirationTimeout * MsgExpirationFactor;

    internal static GossipSettings Read(SettingsReader r, string address)
    {
        var endpoint = r.Endpoint("peer.gossip.endpoint", allowEmpty: true);
        var publishStateInfo = r.Duration("peer.gossip.publishStateInfoInterval");
        var settings = new GossipSettings
        {
            Bootstrap = r.EndpointList("peer.gossip.bootstrap"),
            AnchorPeers = r.EndpointList("peer.gossip.anchorPeers"),
            Endpoint = endpoint.Length == 0 ? address : endpoint,
            ExternalEndpoint = r.Endpoint("peer.gossip.externalEndpoint", allowEmpty: true),
            MembershipTrackerInterval = r.Duration("peer.gossip.membershipTrackerInterval"),
            MaxPropagationBurstLatency = r.Duration("peer.gossip.maxPropagationBurstLatency"),
            MaxPropagationBurstSize = r.Int("peer.gossip.maxPropagationBurstSize", min: 1),
            PropagateIterations = r.Int("peer.gossip.propagateIterations", min: 1),
            PropagatePeerNum = r.Int("peer.gossip.propagatePeerNum", min: 1),
            RequestStateInfoInterval = r.Duration("peer.gossip.requestStateInfoInterval"),
            PublishStateInfoInterval = publishStateInfo,
            StateInfoRetentionInterval = r.Duration("peer.gossip.stateInfoRetentionInterval", allowEmpty: true)
                                         ?? publishStateInfo * 100,
            PublishCertPeriod = r.Duration("peer.gossip.publishCertPeriod"),
            SkipBlockVerification = r.Bool("peer.gossip.skipBlockVerification"),
            DialTimeout = r.Duration("peer.gossip.dialTimeout"),
            ConnTimeout = r.Duration("peer.gossip.connTimeout"),
            RecvBuffSize = r.Int("peer.gossip.recvBuffSize", min: 1),
            MaxConnections = r.Int("peer.gossip.comm.maxConnections", min: 1),
            MaxSessions = r.Int("peer.gossip.comm.maxSessions", min: 1),
            MaxIdentitiesPerOrg = r.Int("peer.gossip.comm.maxIdentitiesPerOrg", min: 1),
            SendBuffSize = r.Int("peer.gossip.sendBuffSize", min: 1),
            SendQueueSize = r.Int("peer.gossip.sendQueueSize", min: 1),
            MaxMessageSize = r.Int("peer.gossip.maxMessageSize", min: 1),
            AliveTimeInterval = r.Duration("peer.gossip.aliveTimeInterval"),
            AliveExpirationTimeout = r.Duration("peer.gossip.aliveExpirationTimeout"),
            ReconnectInterval = r.Duration("peer.gossip.reconnectInterval"),
            MaxConnectionAttempts = r.Int("peer.gossip.maxConnectionAttempts", min: 1),
            MsgExpirationFactor = r.Int("peer.gossip.msgExpirationFactor", min: 1),
            AntiEntropyInterval = r.Duration("peer.gossip.membership.antiEntropyInterval", allowEmpty: true) ?? TimeSpan.Zero,
        };

        if (settings.AliveExpirationTimeout <= settings.AliveTimeInterval)
        {
            r.Report(
                "peer.gossip.aliveExpirationTimeout",
                DurationFormat.Format(settings.AliveExpirationTimeout),
                "must be greater than peer.gossip.aliveTimeInterval "
                + $"({DurationFormat.Format(settings.AliveTimeInterval)}), or live peers are declared dead between heartbeats");
        }

        if (settings.StateInfoRetentionInterval <= settings.PublishStateInfoInterval * 2)
        {
            r.Report(
                "peer.gossip.stateInfoRetentionInterval",
                DurationFormat.Format(settings.StateInfoRetentionInterval),
                "must be more than twice peer.gossip.publishStateInfoInterval "
                + $"({DurationFormat.Format(settings.PublishStateInfoInterval)}), or live peers expire from channel views between keep-alives");
        }

        return settings;
    }
}
