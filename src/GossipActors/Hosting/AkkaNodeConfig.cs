using Akka.Configuration;
using GossipActors.Comm;
using GossipActors.Configuration;

namespace GossipActors.Hosting;

/// <summary>
/// The Akka side of a peer's configuration, derived from its settings: Akka.Remote listening on peer.address,
/// published as the host of peer.gossip.endpoint, and one Akka.Cluster per org whose seed nodes are the org's
/// bootstrap peers; the wire serializer's envelope limit derived from peer.gossip.maxMessageSize (one size limit,
/// checked against the frame size by PeerSettings). No downing provider: a partition must keep working on both sides, as in Fabric; gossip decides
/// who is dead and the membership actor downs purged peers.
/// </summary>
public static class AkkaNodeConfig
{
    public const string SystemName = "gossip";

    /// <param name="config">The rest of the configuration: transport adapters named there change the address scheme.</param>
    public static Config Build(PeerSettings peer, Config config, bool cluster = true)
    {
        var protocol = Protocol(config);
        var (bindHost, port) = HostPort.Parse(peer.Address);
        var (publicHost, _) = HostPort.Parse(peer.Gossip.Endpoint);
        var seeds = peer.Gossip.Bootstrap.Append(peer.Gossip.Endpoint)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(endpoint => Quote(AddressOf(endpoint, protocol)));
        var text = $$"""
            akka {
              actor.provider = {{(cluster ? "cluster" : "remote")}}
              actor.serialization-settings.gossip-wire.max-envelope-bytes = {{peer.Gossip.MaxMessageSize}}
              remote.dot-netty.tcp {
                hostname = {{Quote(bindHost)}}
                public-hostname = {{Quote(publicHost)}}
                port = {{port}}
              }
              cluster {
                seed-nodes = [{{string.Join(", ", seeds)}}]
                downing-provider-class = ""
                roles = [{{Quote(peer.LocalMspId)}}]
              }
            }
            """;
        return ConfigurationFactory.ParseString(text);
    }

    /// <summary>host:port → akka.tcp://gossip@host:port (or the scheme the transport adapters make of it).</summary>
    public static string AddressOf(string endpoint, string protocol = "akka.tcp")
    {
        var (host, port) = HostPort.Parse(endpoint);
        return $"{protocol}://{SystemName}@{host}:{port}";
    }

    /// <summary>
    /// The address scheme of the dot-netty TCP transport: "akka.tcp", with each applied adapter's scheme in front of
    /// "tcp" (the throttler used by tests makes it "akka.trttl.tcp"). Every peer of a network must use the same.
    /// </summary>
    public static string Protocol(Config config)
    {
        var adapters = config.GetStringList("akka.remote.dot-netty.tcp.applied-adapters", []) ?? [];
        return string.Join(".", new[] { "akka" }.Concat(adapters.Reverse()).Append("tcp"));
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
