using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// Starts peers as real Akka nodes on 127.0.0.1 (a gossip system each and, when given an org-cluster port, an org
/// system), with mutual TLS from <see cref="TestTlsPki"/>, scaled-down gossip timers and the throttler transport
/// adapter applied so tests can blackhole links.
/// </summary>
public sealed class RemotePeerFactory(TestPki pki, TestTlsPki tls, string org = "Org1")
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

    /// <summary>One folder per test process for the peers' ledgers: a peer restarted in this run finds its ledger again,
    /// and a ledger left by an earlier run (same name and port) is never picked up.</summary>
    private static readonly string RunDirectory = Path.Combine(Path.GetTempPath(), "gossip-peers-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// Deletes every ledger the factories of this test process made. A spec calls it in Dispose after stopping its
    /// peers: integration specs run one at a time, so no other spec's peer is running then. (The test host is killed at
    /// the end of a run, so a process-exit hook would not run.)
    /// </summary>
    public static void DeleteLedgers()
    {
        if (Directory.Exists(RunDirectory))
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
    }

    /// <param name="orgPort">The org system's port; 0 = no org system.</param>
    /// <param name="extraHocon">HOCON appended to the peer's file (overrides it and the fast timers).</param>
    public PeerNode Start(string name, int port, IReadOnlyList<int> bootstrapPorts, NodeIdentity? identity = null,
        int orgPort = 0, IReadOnlyList<int>? orgBootstrapPorts = null, string extraHocon = "", TlsMaterial? tlsMaterial = null)
    {
        var bootstrap = string.Join(", ", bootstrapPorts.Select(p => $"\"{Endpoint(p)}\""));
        var orgBootstrap = string.Join(", ", (orgBootstrapPorts ?? []).Select(p => $"\"{Endpoint(p)}\""));
        var hocon = $$"""
            peer {
              id = "{{name}}"
              localMspId = "{{org}}"
              address = "{{Endpoint(port)}}"
              mspConfigPath = "unused-identity-given-in-code"
              fileSystemPath = "{{Path.Combine(RunDirectory, name + "-" + port)}}"
              gossip.endpoint = "{{Endpoint(port)}}"
              gossip.bootstrap = [{{bootstrap}}]
              gossip.orgCluster.address = "{{(orgPort == 0 ? "" : Endpoint(orgPort))}}"
              gossip.orgCluster.bootstrap = [{{orgBootstrap}}]
            }
            operations { listenAddress = "" }
            """;
        var config = PeerConfig.Load(ConfigurationFactory.ParseString(hocon + FastTimers + "\n" + extraHocon), new Dictionary<string, string>());
        var settings = PeerSettings.FromConfig(config);
        return PeerNode.Start(settings, config, identity ?? pki.Peer(org, name), pki.Verifier, TimeProvider.System,
            settings.Tls.Enabled ? tlsMaterial ?? tls.Node(org, name) : null);
    }
}
