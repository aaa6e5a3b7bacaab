using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Comm;
using GossipActors.Configuration;

namespace GossipActors.Hosting;

/// <summary>
/// The Akka side of a peer's configuration, derived from its settings (docs/security.md): the gossip system, a
/// boundary system listening on peer.address and published as the host of peer.gossip.endpoint, in which only comm is
/// reachable by selection; and the org system on peer.gossip.orgCluster.address, running the org's Akka.Cluster whose
/// seed nodes are peer.gossip.orgCluster.bootstrap (the org's bootstrap peers' org-cluster addresses). The wire
/// serializer's envelope limit is derived from peer.gossip.maxMessageSize (one size limit, checked against the frame
/// size by PeerSettings). No downing provider: a partition must keep working on both sides, as in Fabric.
/// </summary>
public static class AkkaNodeConfig
{
    public const string SystemName = "gossip";
    public const string OrgSystemName = "org";

    /// <summary>The only path of a peer that other nodes may reach by selection.</summary>
    public const string CommPath = "/user/" + EndpointResolver.PeerActorName + "/" + EndpointResolver.CommActorName;

    public static Listener GossipListener(PeerSettings peer) =>
        Listener.Of(SystemName, peer.Address, peer.Gossip.Endpoint, peer.Tls.Enabled, "peer.address");

    public static Listener OrgListener(PeerSettings peer) =>
        Listener.Of(OrgSystemName, peer.OrgCluster.Address, peer.OrgCluster.Address, peer.Tls.Enabled, "peer.gossip.orgCluster.address");

    /// <summary>The gossip system's configuration (to go in front of the peer's whole configuration).</summary>
    public static Config Gossip(PeerSettings peer) =>
        ConfigurationFactory.ParseString($"akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = {peer.Gossip.MaxMessageSize}")
            .WithFallback(BoundaryConfig.BoundarySystem(GossipListener(peer), [CommPath]));

    /// <param name="config">The rest of the configuration: transport adapters named there change the address scheme.</param>
    public static Config Org(PeerSettings peer, Config config)
    {
        var protocol = BoundaryConfig.Protocol(config, peer.Tls.Enabled);
        // Only a peer named in the list (or a peer with no list) may form the cluster; the others join it, so peers that
        // start together never form separate clusters. Every peer sorts the list the same way: the first seed forms it.
        var seeds = (peer.OrgCluster.Bootstrap.Count > 0 ? peer.OrgCluster.Bootstrap : [peer.OrgCluster.Address])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(endpoint => BoundaryConfig.AddressOf(endpoint, OrgSystemName, protocol));
        return BoundaryConfig.OrgSystem(OrgListener(peer), seeds, [peer.LocalMspId, ClusterHintsActor.EndpointRole(peer.Gossip.Endpoint)]);
    }

    /// <summary>host:port → akka.tcp://gossip@host:port (or the scheme TLS and the transport adapters make of it).</summary>
    public static string AddressOf(string endpoint, string protocol = "akka.tcp") => BoundaryConfig.AddressOf(endpoint, SystemName, protocol);
}
