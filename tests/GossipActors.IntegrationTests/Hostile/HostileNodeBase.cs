using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// A target peer of Org1 (gossip system, org system, one channel) with a same-org buddy, and hostile actor systems
/// that talk to it over Akka.Remote with TLS material of their choosing.
/// </summary>
public abstract class HostileNodeBase : Akka.TestKit.Xunit2.TestKit
{
    protected const string Channel = "mychannel";
    protected static readonly string ChannelHocon = $$"""peer.channels = [ { name = "{{Channel}}", orgs = ["Org1", "Org2"], ordererOrg = "OrdererOrg" } ]""";

    private readonly RemotePeers _peers = new();
    private readonly List<ActorSystem> _attackers = [];

    protected HostileNodeBase() : base("akka.test.timefactor = 2")
    {
    }

    protected TestPki Pki => _peers.Pki;
    protected TestTlsPki Tls => _peers.Tls;

    protected PeerNode StartPeer(string name, int port, IReadOnlyList<int> bootstrap, int orgPort, IReadOnlyList<int> orgBootstrap,
        TlsMaterial? tls = null, RemotePeerFactory? factory = null) =>
        _peers.Add((factory ?? _peers.Factory).Start(name, port, bootstrap, null, orgPort, orgBootstrap, ChannelHocon, tls));

    /// <summary>An Akka.Remote system with this TLS material that can send frames under any serializer id.</summary>
    protected ActorSystem StartAttacker(string name, TlsMaterial tls)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor.provider = remote
              remote.dot-netty.tcp {
                hostname = 127.0.0.1
                port = 0
                enable-ssl = on
                applied-adapters = [trttl]
              }
            }
            {{HostileFrameSerializer.Hocon}}
            """).WithFallback(ReferenceConfig.Load());
        var system = ActorSystem.Create(name, ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config),
            TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, name)));
        _attackers.Add(system);
        return system;
    }

    protected static Address GossipAddress(PeerNode node) => ((ExtendedActorSystem)node.System).Provider.DefaultAddress;

    /// <summary>The node's /metrics text (its Prometheus registry, as the operations endpoint writes it).</summary>
    protected static string MetricsText(PeerNode node) => PrometheusText.Export(node.Metrics);

    protected static MembershipSnapshot View(PeerNode node) =>
        node.Peer.Ask<MembershipSnapshot>(GetMembership.Instance, TimeSpan.FromSeconds(30)).Result; // generous: CI saw 10 s pass under load

    /// <summary>The actor at <paramref name="path"/> of the node's gossip system answers a local Identify.</summary>
    protected static bool IsAlive(PeerNode node, string path) =>
        node.System.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(10)).Result.Subject is not null;

    protected void AwaitAlive(PeerNode node, PeerNode other, TimeSpan within)
    {
        var id = View(other).Self.PkiId;
        AwaitAssert(() => Assert.Contains(id, View(node).Alive.Select(a => a.PkiId)), Dilated(within), TimeSpan.FromMilliseconds(250));
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var attacker in _attackers)
        {
            attacker.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        _peers.Dispose();
        base.Dispose(disposing);
    }
}
