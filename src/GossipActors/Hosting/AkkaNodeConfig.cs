using Akka.Configuration;
using GossipActors.Configuration;

namespace GossipActors.Hosting;

/// <summary>
/// The Akka side of a peer's configuration, derived from its settings: Akka.Remote listening on peer.address,
/// published as the host of peer.gossip.endpoint, and one Akka.Cluster per org whose seed nodes are the org's
/// bootstrap peers. No downing provider: a partition must keep working on both sides, as in Fabric; gossip decides
/// who is dead and the membership actor downs purged peers.
/// </summary>
public static class AkkaNodeConfig
{
    public const string SystemName = "gossip";

    public static Config Build(PeerSettings peer, bool cluster = true)
    {
        var (bindHost, port) = Split(peer.Address);
        var (publicHost, _) = Split(peer.Gossip.Endpoint);
        var seeds = peer.Gossip.Bootstrap.Append(peer.Gossip.Endpoint)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(endpoint => Quote(AddressOf(endpoint)));
        var text = $$"""
            akka {
              actor.provider = {{(cluster ? "cluster" : "remote")}}
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

    /// <summary>host:port → akka.tcp://gossip@host:port.</summary>
    public static string AddressOf(string endpoint)
    {
        var (host, port) = Split(endpoint);
        return $"akka.tcp://{SystemName}@{host}:{port}";
    }

    private static (string Host, int Port) Split(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon], int.Parse(endpoint.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
