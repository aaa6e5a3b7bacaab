using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Delivery;
using GossipActors.Discovery;

namespace GossipActors.Hosting;

/// <summary>From the validated configuration records to what each actor is built with.</summary>
public static class SettingsMapping
{
    public static CommSettings ToComm(GossipSettings gossip) => new(
        MaxMessageSize: gossip.MaxMessageSize,
        SendQueueSize: gossip.SendQueueSize,
        SendWindow: Math.Max(1, gossip.SendBuffSize / 4),
        ResolveTimeout: gossip.DialTimeout,
        AckTimeout: gossip.ConnTimeout * 2,
        ReceiveBufferSize: gossip.RecvBuffSize,
        MaxConnections: gossip.MaxConnections,
        MaxSessions: gossip.MaxSessions,
        MaxIdentitiesPerOrg: gossip.MaxIdentitiesPerOrg);

    public static MembershipSettings ToMembership(GossipSettings gossip) => new()
    {
        AliveInterval = gossip.AliveTimeInterval,
        AliveExpirationTimeout = gossip.AliveExpirationTimeout,
        ReconnectInterval = gossip.ReconnectInterval,
        MsgExpirationFactor = gossip.MsgExpirationFactor,
        PropagatePeerNum = gossip.PropagatePeerNum,
        MaxPropagationBurstSize = gossip.MaxPropagationBurstSize,
        MaxPropagationBurstLatency = gossip.MaxPropagationBurstLatency,
        AntiEntropyInterval = gossip.AntiEntropyInterval,
        MaxConnectionAttempts = gossip.MaxConnectionAttempts,
        PublishCertPeriod = gossip.PublishCertPeriod,
        MembershipTrackerInterval = gossip.MembershipTrackerInterval,
    };

    /// <param name="incarnation">Fabric uses the start time; anything that grows across restarts works.</param>
    public static MembershipOptions ToMembershipOptions(PeerSettings peer, ulong incarnation) => new(
        ToMembership(peer.Gossip),
        ExternalEndpoint: peer.Gossip.ExternalEndpoint,
        InternalEndpoint: peer.Gossip.Endpoint,
        Incarnation: incarnation,
        Bootstrap: peer.Gossip.Bootstrap,
        // Config names anchor endpoints only; an anchor of unknown org is treated as another org's (secrets stripped).
        Anchors: [.. peer.Gossip.AnchorPeers.Select(endpoint => new AnchorPeer(endpoint, ""))]);

    /// <summary>The dissemination cores' settings: our enhanced-mode keys, Fabric's push and pull keys.</summary>
    public static DisseminationCoreSettings ToDissemination(PeerSettings peer) => new()
    {
        Mode = peer.Dissemination.Mode == Configuration.DisseminationMode.Fabric ? Channels.DisseminationMode.Fabric : Channels.DisseminationMode.Enhanced,
        PushPeerNum = peer.Dissemination.PushPeerNum,
        PushTtl = peer.Dissemination.PushTtl,
        DigestTtl = peer.Dissemination.DigestTtl,
        DigestPeerNum = peer.Dissemination.DigestPeerNum,
        PropagatePeerNum = peer.Gossip.PropagatePeerNum,
        PropagateIterations = peer.Gossip.PropagateIterations,
        MaxPropagationBurstSize = peer.Gossip.MaxPropagationBurstSize,
        MaxPropagationBurstLatency = peer.Gossip.MaxPropagationBurstLatency,
        PullInterval = peer.Pull.PullInterval,
        PullPeerNum = peer.Pull.PullPeerNum,
        DigestWaitTime = peer.Pull.DigestWaitTime,
        RequestWaitTime = peer.Pull.RequestWaitTime,
        ResponseWaitTime = peer.Pull.ResponseWaitTime,
        MaxBlockCountToStore = peer.Dissemination.MaxBlockCountToStore,
        BlockExpiration = peer.Pull.PullInterval * 100, // as Fabric
    };

    /// <summary>One <see cref="ChannelOptions"/> per entry of peer.channels.</summary>
    /// <param name="protocol">The Akka address scheme of this node's transport (see <see cref="Boundary.BoundaryConfig.Protocol"/>).</param>
    public static IReadOnlyList<ChannelOptions> ToChannels(PeerSettings peer, string protocol = "akka.tcp")
    {
        var dissemination = ToDissemination(peer);
        var stateInfo = new StateInfoSettings(peer.Gossip.PublishStateInfoInterval, peer.Gossip.RequestStateInfoInterval,
            peer.Gossip.StateInfoRetentionInterval, peer.Gossip.PropagatePeerNum);
        return [.. peer.Channels.Select(c => new ChannelOptions(c.Name, c.Orgs, c.OrdererOrg, dissemination,
            stateInfo, PayloadBufferSize: Math.Max(1, peer.StateTransfer.BlockBufferSize),
            Election: Election.ElectionOptions.From(peer.Election), StateTransfer: ToStateTransfer(peer), Delivery: ToDelivery(peer, c, protocol)))];
    }

    /// <summary>peer.gossip.state.*; a response's blocks stay under peer.gossip.maxMessageSize.</summary>
    public static Ledger.StateTransferOptions ToStateTransfer(PeerSettings peer) => new(
        Enabled: peer.StateTransfer.Enabled,
        CheckInterval: peer.StateTransfer.CheckInterval,
        ResponseTimeout: peer.StateTransfer.ResponseTimeout,
        BatchSize: peer.StateTransfer.BatchSize,
        MaxRetries: peer.StateTransfer.MaxRetries,
        Window: Math.Max(1, peer.StateTransfer.BlockBufferSize),
        MaxResponseBytes: Math.Max(1, peer.Gossip.MaxMessageSize - Ledger.StateTransferOptions.EnvelopeAllowance));

    /// <summary>The delivery client of one channel: its orderers, the static leadership flag and peer.deliveryclient.*.</summary>
    public static DeliveryOptions ToDelivery(PeerSettings peer, ChannelSettings channel, string protocol = "akka.tcp") => new(
        channel.Orderers,
        protocol,
        StaticLeader: peer.Election.IsStaticLeader,
        BlockGossipEnabled: peer.Delivery.BlockGossipEnabled,
        ConnTimeout: peer.Delivery.ConnTimeout,
        ReConnectBackoffThreshold: peer.Delivery.ReConnectBackoffThreshold,
        ReconnectTotalTimeThreshold: peer.Delivery.ReconnectTotalTimeThreshold);
}
