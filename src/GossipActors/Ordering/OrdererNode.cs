using Akka.Actor;
using Akka.Actor.Setup;
using GossipActors.Boundary;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;

namespace GossipActors.Ordering;

/// <summary>
/// The solo ordering node as an Akka node: an actor system "orderer" with Akka.Remote only (no cluster), untrusted
/// mode on and only /user/orderer reachable by selection, Kill and PoisonPill refused on arrival, the guardian resuming
/// the orderer on a Kill, and mutual TLS when given (a boundary system, docs/security.md), hosting the <see cref="OrdererActor"/>.
/// </summary>
public sealed class OrdererNode : IAsyncDisposable
{
    public const string SystemName = "orderer";
    public const string ActorName = "orderer";

    private OrdererNode(ActorSystem system, IActorRef orderer, OrdererSettings settings)
    {
        System = system;
        Orderer = orderer;
        Settings = settings;
    }

    public ActorSystem System { get; }
    public IActorRef Orderer { get; }
    public OrdererSettings Settings { get; }

    /// <summary>The port actually bound (ListenPort, or the one chosen for port 0).</summary>
    public int Port => ((ExtendedActorSystem)System).Provider.DefaultAddress.Port ?? Settings.ListenPort;

    /// <summary>host:port of the running orderer, for clients' configuration.</summary>
    public string Endpoint => $"{Settings.ListenAddress}:{Port}";

    /// <param name="config">The whole configuration (user HOCON over reference.conf); its akka.* keys apply beneath the boundary settings.</param>
    /// <param name="tls">This orderer's TLS certificate and the TLS CAs it accepts (the peer orgs it serves); null = plain TCP.</param>
    /// <exception cref="Boundary.ListenerInUseException">orderer.General.ListenPort is already bound.</exception>
    public static OrdererNode Start(OrdererSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates, TimeProvider time,
        TlsMaterial? tls = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ListenerCheck.EnsureFree("orderer.General.ListenPort", settings.Endpoint);
        var listener = Listener.Of(SystemName, settings.Endpoint, settings.Endpoint, tls is not null, "orderer.General.ListenPort");
        var boundary = BoundaryConfig.BoundarySystem(listener, [$"/user/{ActorName}"]).WithFallback(config).WithFallback(ReferenceConfig.Load());
        var bootstrap = BootstrapSetup.Create().WithConfig(boundary);
        var system = tls is null
            ? ActorSystem.Create(SystemName, ActorSystemSetup.Create(bootstrap))
            : ActorSystem.Create(SystemName, ActorSystemSetup.Create(bootstrap, TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "orderer " + settings.Endpoint)));
        var options = ToOptions(settings);
        var orderer = system.ActorOf(OrdererActor.Props(identity, certificates, options,
            () => OrdererStore.Open(settings.FileLedgerLocation), time), ActorName);
        return new OrdererNode(system, orderer, settings);
    }

    public static OrdererOptions ToOptions(OrdererSettings settings) => new(
        settings.Channels.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        new BatchLimits(settings.MaxMessageCount, settings.AbsoluteMaxBytes, settings.PreferredMaxBytes, settings.BatchTimeout),
        settings.MaxPendingTransactions,
        settings.DeliverWindow,
        settings.MaxDeliverStreams,
        settings.StreamIdleTimeout,
        settings.RequestFreshness);

    /// <summary>akka.tcp://orderer@host:port/user/orderer (or the scheme the transport adapters make of it).</summary>
    public static string ActorPath(string endpoint, string protocol = "akka.tcp")
    {
        var (host, port) = Comm.HostPort.Parse(endpoint);
        return $"{protocol}://{SystemName}@{host}:{port}/user/{ActorName}";
    }

    public Task Terminated => System.WhenTerminated;

    public async ValueTask DisposeAsync() =>
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
}
