using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// Starts peers as real Akka nodes on 127.0.0.1, each its own actor system, with scaled-down gossip timers and the
/// throttler transport adapter applied so tests can blackhole links.
/// </summary>
public sealed class RemotePeerFactory(TestPki pki, string org = "Org1")
{
    public static readonly string FastTimers = """
        peer.gossip {
          aliveTimeInterval = 300ms
          aliveExpirationTimeout = 2s
          reconnectInterval = 1s
          membership.antiEntropyInterval = 1s
          dialTimeout = 2s
        }
        akka {
          loglevel = WARNING
          remote.dot-netty.tcp.applied-adapters = [trttl]
          cluster.seed-node-timeout = 2s
          cluster.retry-unsuccessful-join-after = 2s
        }
        """;

    public static string Endpoint(int port) => $"127.0.0.1:{port}";

    /// <param name="extraHocon">More peer settings (channels, bounds), merged over the fast timers.</param>
    public PeerNode Start(string name, int port, IReadOnlyList<int> bootstrapPorts, NodeIdentity? identity = null, bool cluster = true,
        string extraHocon = "")
    {
        var bootstrap = string.Join(", ", bootstrapPorts.Select(p => $"\"{Endpoint(p)}\""));
        var hocon = $$"""
            peer {
              id = "{{name}}"
              localMspId = "{{org}}"
              address = "{{Endpoint(port)}}"
              mspConfigPath = "unused-identity-given-in-code"
              fileSystemPath = "{{Path.Combine(Path.GetTempPath(), "gossip-" + name + "-" + port)}}"
              gossip.endpoint = "{{Endpoint(port)}}"
              gossip.bootstrap = [{{bootstrap}}]
            }
            """;
        var config = PeerConfig.Load(ConfigurationFactory.ParseString(hocon + FastTimers + "\n" + extraHocon), new Dictionary<string, string>());
        var settings = PeerSettings.FromConfig(config);
        return PeerNode.Start(settings, config, identity ?? pki.Peer(org, name), pki.Verifier, TimeProvider.System, cluster);
    }
}
