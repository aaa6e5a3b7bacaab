using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Hosting;
using Prometheus;

namespace GossipActors.Tests.Support;

/// <summary>
/// Several peers hosted in one actor system, each at /user/{endpoint}; endpoint names are the peers' gossip
/// endpoints. Timers come from <see cref="MembershipSettings"/> (scaled down by the test). Peers started with
/// <paramref name="channels"/> join those channels (in-memory ledgers) unless <see cref="Start"/> names others.
/// </summary>
public sealed class InProcessNetwork(ActorSystem system, TestPki pki, MembershipSettings settings, IReadOnlyList<ChannelOptions>? channels = null)
{
    private readonly Dictionary<string, (IActorRef Peer, NodeIdentity Identity)> _peers = [];
    private readonly Dictionary<string, CollectorRegistry> _metrics = [];
    private int _seed = 1;

    public IReadOnlyCollection<string> Endpoints => _peers.Keys;

    public IActorRef this[string endpoint] => _peers[endpoint].Peer;

    public NodeIdentity Identity(string endpoint) => _peers[endpoint].Identity;

    /// <param name="external">Give the peer an external endpoint (visible to other orgs).</param>
    /// <param name="ledgers">Opens the peer's channel ledgers; fresh in-memory ledgers when null.</param>
    /// <param name="identity">The peer's identity, if issued beforehand (e.g. to know PKI-ID order); else issued here.</param>
    public IActorRef Start(string org, string endpoint, IReadOnlyList<string> bootstrap, IReadOnlyList<AnchorPeer>? anchors = null,
        bool external = true, ulong incarnation = 1, IReadOnlyList<ChannelOptions>? joins = null, Func<string, GossipActors.Ledger.IBlockLedger>? ledgers = null,
        NodeIdentity? identity = null)
    {
        identity ??= pki.Peer(org, endpoint);
        var options = new MembershipOptions(settings, external ? endpoint : "", endpoint, incarnation, bootstrap, anchors ?? []);
        var components = new PeerComponents(identity, pki.Verifier, CommSettings.Default, options,
            EndpointResolver.InProcess(system), TimeProvider.System, new Random(_seed++), Prometheus.Metrics.NewCustomRegistry(), joins ?? channels,
            ledgers);
        _metrics[endpoint] = components.Metrics;
        var peer = system.ActorOf(PeerActor.Props(components), endpoint);
        _peers[endpoint] = (peer, identity);
        return peer;
    }

    /// <summary>The peer's Prometheus registry (what its /metrics serves).</summary>
    public CollectorRegistry Metrics(string endpoint) => _metrics[endpoint];

    public MembershipSnapshot View(string endpoint) =>
        _peers[endpoint].Peer.Ask<MembershipSnapshot>(GetMembership.Instance, TimeSpan.FromSeconds(5)).Result;

    public ISet<string> AliveNames(string endpoint) =>
        View(endpoint).Alive.Select(a => NameOf(a.PkiId)).ToHashSet();

    public ISet<string> DeadNames(string endpoint) =>
        View(endpoint).Dead.Select(a => NameOf(a.PkiId)).ToHashSet();

    public ChannelStatus ChannelStatus(string endpoint, string channel) =>
        _peers[endpoint].Peer.Ask<ChannelStatus>(new GetChannelStatus(channel), TimeSpan.FromSeconds(5)).Result;

    public string NameOf(PkiId id) => _peers.First(p => p.Value.Identity.PkiId == id).Key;

    /// <summary>Stops a peer and waits until it has stopped (its ledgers are closed).</summary>
    public void Stop(string endpoint, Akka.TestKit.TestKitBase testKit)
    {
        var peer = _peers[endpoint].Peer;
        testKit.Watch(peer);
        system.Stop(peer);
        testKit.ExpectTerminated(peer, TimeSpan.FromSeconds(10));
        _peers.Remove(endpoint);
    }

    /// <summary>Cuts all traffic between the two groups, in both directions, with the fault filter.</summary>
    public void Partition(IEnumerable<string> sideA, IEnumerable<string> sideB, bool heal = false)
    {
        var b = sideB.ToList();
        foreach (var a in sideA)
        {
            foreach (var other in b)
            {
                _peers[a].Peer.Tell(heal ? new UnblockTraffic(Peer: Identity(other).PkiId) : new BlockTraffic(Peer: Identity(other).PkiId));
                _peers[other].Peer.Tell(heal ? new UnblockTraffic(Peer: Identity(a).PkiId) : new BlockTraffic(Peer: Identity(a).PkiId));
            }
        }
    }
}
