using GossipActors.Configuration;

namespace GossipActors.Tests.Configuration;

/// <summary>Every default of reference.conf's peer.*, operations.* and metrics.* sections: the key, the value we promise, how to read it.</summary>
internal static class ExpectedDefaults
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    public static readonly IReadOnlyDictionary<string, (object Expected, Func<PeerSettings, object> Actual)> ByKey =
        new Dictionary<string, (object, Func<PeerSettings, object>)>
        {
            ["peer.id"] = ("jdoe", p => p.Id),
            ["peer.localMspId"] = ("SampleOrg", p => p.LocalMspId),
            ["peer.address"] = ("0.0.0.0:7051", p => p.Address),
            ["peer.mspConfigPath"] = ("msp", p => p.MspConfigPath),
            ["peer.fileSystemPath"] = ("/var/hyperledger/production", p => p.FileSystemPath),

            ["peer.gossip.bootstrap"] = ("127.0.0.1:7051", p => string.Join(' ', p.Gossip.Bootstrap)),
            ["peer.gossip.anchorPeers"] = ("", p => string.Join(' ', p.Gossip.AnchorPeers)),
            ["peer.gossip.endpoint"] = ("0.0.0.0:7051", p => p.Gossip.Endpoint),
            ["peer.gossip.externalEndpoint"] = ("", p => p.Gossip.ExternalEndpoint),
            ["peer.gossip.membershipTrackerInterval"] = (S(5), p => p.Gossip.MembershipTrackerInterval),
            ["peer.gossip.maxPropagationBurstLatency"] = (Ms(10), p => p.Gossip.MaxPropagationBurstLatency),
            ["peer.gossip.maxPropagationBurstSize"] = (10, p => p.Gossip.MaxPropagationBurstSize),
            ["peer.gossip.propagateIterations"] = (1, p => p.Gossip.PropagateIterations),
            ["peer.gossip.propagatePeerNum"] = (3, p => p.Gossip.PropagatePeerNum),
            ["peer.gossip.requestStateInfoInterval"] = (S(4), p => p.Gossip.RequestStateInfoInterval),
            ["peer.gossip.publishStateInfoInterval"] = (S(4), p => p.Gossip.PublishStateInfoInterval),
            ["peer.gossip.stateInfoRetentionInterval"] = (S(400), p => p.Gossip.StateInfoRetentionInterval),
            ["peer.gossip.publishCertPeriod"] = (S(10), p => p.Gossip.PublishCertPeriod),
            ["peer.gossip.skipBlockVerification"] = (false, p => p.Gossip.SkipBlockVerification),
            ["peer.gossip.dialTimeout"] = (S(3), p => p.Gossip.DialTimeout),
            ["peer.gossip.connTimeout"] = (S(2), p => p.Gossip.ConnTimeout),
            ["peer.gossip.recvBuffSize"] = (20, p => p.Gossip.RecvBuffSize),
            ["peer.gossip.comm.maxConnections"] = (256, p => p.Gossip.MaxConnections),
            ["peer.gossip.comm.maxSessions"] = (1024, p => p.Gossip.MaxSessions),
            ["peer.gossip.comm.maxIdentitiesPerOrg"] = (1000, p => p.Gossip.MaxIdentitiesPerOrg),
            ["peer.gossip.sendBuffSize"] = (200, p => p.Gossip.SendBuffSize),
            ["peer.gossip.sendQueueSize"] = (200, p => p.Gossip.SendQueueSize),
            ["peer.gossip.maxMessageSize"] = (8 * 1024 * 1024, p => p.Gossip.MaxMessageSize),
            ["peer.gossip.aliveTimeInterval"] = (S(5), p => p.Gossip.AliveTimeInterval),
            ["peer.gossip.aliveExpirationTimeout"] = (S(25), p => p.Gossip.AliveExpirationTimeout),
            ["peer.gossip.reconnectInterval"] = (S(25), p => p.Gossip.ReconnectInterval),
            ["peer.gossip.maxConnectionAttempts"] = (120, p => p.Gossip.MaxConnectionAttempts),
            ["peer.gossip.msgExpirationFactor"] = (20, p => p.Gossip.MsgExpirationFactor),
            ["peer.gossip.membership.antiEntropyInterval"] = (TimeSpan.FromSeconds(10), p => p.Gossip.AntiEntropyInterval),

            ["peer.gossip.pullInterval"] = (S(4), p => p.Pull.PullInterval),
            ["peer.gossip.pullPeerNum"] = (3, p => p.Pull.PullPeerNum),
            ["peer.gossip.digestWaitTime"] = (S(1), p => p.Pull.DigestWaitTime),
            ["peer.gossip.requestWaitTime"] = (Ms(1500), p => p.Pull.RequestWaitTime),
            ["peer.gossip.responseWaitTime"] = (S(2), p => p.Pull.ResponseWaitTime),

            ["peer.gossip.dissemination.mode"] = (DisseminationMode.Enhanced, p => p.Dissemination.Mode),
            ["peer.gossip.dissemination.pushTtl"] = (1, p => p.Dissemination.PushTtl),
            ["peer.gossip.dissemination.digestTtl"] = (5, p => p.Dissemination.DigestTtl),
            ["peer.gossip.dissemination.pushPeerNum"] = (3, p => p.Dissemination.PushPeerNum),
            ["peer.gossip.dissemination.digestPeerNum"] = (6, p => p.Dissemination.DigestPeerNum),
            ["peer.gossip.maxBlockCountToStore"] = (10, p => p.Dissemination.MaxBlockCountToStore),

            ["peer.gossip.useLeaderElection"] = (true, p => p.Election.UseLeaderElection),
            ["peer.gossip.orgLeader"] = (false, p => p.Election.OrgLeader),
            ["peer.gossip.election.startupGracePeriod"] = (S(15), p => p.Election.StartupGracePeriod),
            ["peer.gossip.election.membershipSampleInterval"] = (S(1), p => p.Election.MembershipSampleInterval),
            ["peer.gossip.election.leaderAliveThreshold"] = (S(10), p => p.Election.LeaderAliveThreshold),
            ["peer.gossip.election.leaderElectionDuration"] = (S(5), p => p.Election.LeaderElectionDuration),
            ["peer.gossip.election.fastFailover"] = (true, p => p.Election.FastFailover),

            ["peer.gossip.state.enabled"] = (true, p => p.StateTransfer.Enabled),
            ["peer.gossip.state.checkInterval"] = (S(10), p => p.StateTransfer.CheckInterval),
            ["peer.gossip.state.responseTimeout"] = (S(3), p => p.StateTransfer.ResponseTimeout),
            ["peer.gossip.state.batchSize"] = (10, p => p.StateTransfer.BatchSize),
            ["peer.gossip.state.blockBufferSize"] = (20, p => p.StateTransfer.BlockBufferSize),
            ["peer.gossip.state.maxRetries"] = (3, p => p.StateTransfer.MaxRetries),

            ["peer.deliveryclient.blockGossipEnabled"] = (true, p => p.Delivery.BlockGossipEnabled),
            ["peer.deliveryclient.reconnectTotalTimeThreshold"] = (S(3600), p => p.Delivery.ReconnectTotalTimeThreshold),
            ["peer.deliveryclient.connTimeout"] = (S(3), p => p.Delivery.ConnTimeout),
            ["peer.deliveryclient.reConnectBackoffThreshold"] = (S(3600), p => p.Delivery.ReConnectBackoffThreshold),

            ["operations.listenAddress"] = ("127.0.0.1:9443", p => p.Operations.ListenAddress),
            ["metrics.provider"] = (true, p => p.Operations.MetricsEnabled),

            ["peer.tls.enabled"] = (true, p => p.Tls.Enabled),
            ["peer.tls.cert.file"] = (Path.Combine("msp", "tls", "server.crt"), p => p.Tls.CertFile),
            ["peer.tls.key.file"] = (Path.Combine("msp", "tls", "server.key"), p => p.Tls.KeyFile),
            ["peer.tls.rootcert.file"] = (Path.Combine("msp", "tls", "ca.crt"), p => p.Tls.RootCertFile),
            ["peer.tls.clientRootCAs.files"] = ("", p => string.Join(' ', p.Tls.ClientRootCAsFiles)),

            ["peer.gossip.orgCluster.address"] = ("", p => p.OrgCluster.Address),
            ["peer.gossip.orgCluster.bootstrap"] = ("", p => string.Join(' ', p.OrgCluster.Bootstrap)),

            ["peer.channels"] = (0, p => p.Channels.Count),
        };
}
