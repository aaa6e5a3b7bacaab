using Akka.Actor;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Channels;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Ordering;

namespace GossipActors.Benchmarks;

/// <summary>Peers, orderers and clients of a benchmark network: actor systems in this process over loopback
/// Akka.Remote, TLS off.</summary>
internal static class LoopbackNodes
{
    /// <summary>A free loopback port, reserved for this process (<see cref="FreeLoopbackPorts"/>).</summary>
    public static int FreePort() => FreeLoopbackPorts.Next();

    /// <summary>A remote actor system on 127.0.0.1, any port, logging warnings: a client, or a bare node.</summary>
    public static Config RemoteSystemConfig() => ReferenceConfig.WithFallback(ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.loglevel = WARNING
        """));

    /// <summary>The client that submits transactions (<see cref="Broadcast"/>).</summary>
    public static ActorSystem SubmitClient() => ActorSystem.Create("submit", RemoteSystemConfig());

    /// <summary>Starts a peer from its HOCON (over <paramref name="fallback"/> when given), without TLS.</summary>
    public static PeerNode StartPeer(string hocon, NodeIdentity identity, CertificateVerifier verifier, Config? fallback = null)
    {
        var own = ConfigurationFactory.ParseString(hocon);
        var config = PeerConfig.Load(fallback is null ? own : own.WithFallback(fallback), new Dictionary<string, string>());
        return PeerNode.Start(PeerSettings.FromConfig(config), config, identity, verifier, TimeProvider.System, tls: null);
    }

    /// <summary>Starts an orderer from its HOCON (over reference.conf), without TLS.</summary>
    public static OrdererNode StartOrderer(string hocon, NodeIdentity identity, CertificateVerifier verifier)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(ReferenceConfig.Load());
        return OrdererNode.Start(OrdererSettings.FromConfig(config), config, identity, verifier, TimeProvider.System);
    }

    public static Task<ChannelStatus> Status(PeerNode node, string channel) =>
        node.Peer.Ask<ChannelStatus>(new GetChannelStatus(channel), TimeSpan.FromSeconds(10));
}
