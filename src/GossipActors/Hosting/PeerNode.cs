using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using GossipActors.Boundary;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Operations;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>
/// One peer as an Akka node (docs/security.md): its gossip system (the gossip endpoint, the actor tree at /user/peer)
/// and, when peer.gossip.orgCluster.address is set, its org system (the org cluster: hints and org status), both
/// behind mutual TLS unless <c>tls</c> is null.
/// </summary>
public sealed class PeerNode : IAsyncDisposable
{
    private PeerNode(ActorSystem system, ActorSystem? orgSystem, IActorRef peer, IActorRef? orgStatus, PeerSettings settings, CollectorRegistry metrics)
    {
        System = system;
        OrgSystem = orgSystem;
        Peer = peer;
        OrgStatus = orgStatus;
        Settings = settings;
        Metrics = metrics;
    }

    /// <summary>The gossip system.</summary>
    public ActorSystem System { get; }

    /// <summary>The org system; null when peer.gossip.orgCluster.address is "".</summary>
    public ActorSystem? OrgSystem { get; }

    public IActorRef Peer { get; }

    /// <summary>The org system's status actor (<see cref="GetOrgStatus"/>); null without an org system.</summary>
    public IActorRef? OrgStatus { get; }

    public PeerSettings Settings { get; }
    public CollectorRegistry Metrics { get; }

    /// <param name="config">The peer's whole configuration (user HOCON, environment overrides and reference.conf),
    /// as <see cref="PeerConfig.Load"/> returns it; its akka.* keys apply beneath the derived settings.</param>
    /// <param name="tls">The TLS material; null = plain TCP (logged as a warning). Must agree with peer.tls.enabled.</param>
    /// <exception cref="ListenerInUseException">A listener's port is already in use.</exception>
    public static PeerNode Start(PeerSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates,
        TimeProvider time, TlsMaterial? tls)
    {
        if (settings.Tls.Enabled != tls is not null)
        {
            throw new ArgumentException($"peer.tls.enabled = {settings.Tls.Enabled.ToString().ToLowerInvariant()}, but TLS material was {(tls is null ? "not " : "")}given.", nameof(tls));
        }
        CheckListeners(settings, operations: false);
        var gossipSetup = BootstrapSetup.Create().WithConfig(AkkaNodeConfig.Gossip(settings).WithFallback(config));
        var system = ActorSystem.Create(AkkaNodeConfig.SystemName, tls is null
            ? ActorSystemSetup.Create(gossipSetup)
            : ActorSystemSetup.Create(gossipSetup, TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "gossip endpoint " + settings.Address)));
        if (tls is null)
        {
            system.Log.Warning("peer.tls.enabled = false: the gossip endpoint {Address} accepts plain TCP connections from anyone who reaches it. Use this for local experiments only.", settings.Address);
        }
        var metrics = Prometheus.Metrics.NewCustomRegistry();
        var incarnation = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        var components = new PeerComponents(identity, certificates, SettingsMapping.ToComm(settings.Gossip),
            SettingsMapping.ToMembershipOptions(settings, incarnation),
            EndpointResolver.Remote(AkkaNodeConfig.SystemName, BoundaryConfig.Protocol(config, settings.Tls.Enabled)),
            time, new Random(), metrics, SettingsMapping.ToChannels(settings, BoundaryConfig.Protocol(config, settings.Tls.Enabled)),
            channel => SqliteBlockLedger.Open(settings.FileSystemPath, channel));
        var peer = system.ActorOf(PeerActor.Props(components), EndpointResolver.PeerActorName);
        if (!settings.OrgCluster.Enabled)
        {
            return new PeerNode(system, null, peer, null, settings, metrics);
        }

        ActorSystem orgSystem;
        try
        {
            orgSystem = StartOrgSystem(settings, config, tls);
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
        var hints = orgSystem.ActorOf(ClusterHintsActor.Props(peer), "cluster-hints");
        var orgStatus = orgSystem.ActorOf(OrgStatusActor.Props(peer, settings.Id, settings.LocalMspId, settings.Gossip.Endpoint), OrgStatusActor.Name);
        peer.Tell(new OrgClusterAttached(hints));
        return new PeerNode(system, orgSystem, peer, orgStatus, settings, metrics);
    }

    /// <summary>Refuses to start when a listener's port is in use (<see cref="ListenerCheck"/>).</summary>
    /// <param name="operations">Whether to check the operations listener too (it starts later, with <see cref="StartOperationsAsync"/>).</param>
    /// <exception cref="ListenerInUseException">The first listener whose port is in use.</exception>
    public static void CheckListeners(PeerSettings settings, bool operations = true)
    {
        ListenerCheck.EnsureFree("peer.address", settings.Address);
        if (settings.OrgCluster.Enabled)
        {
            ListenerCheck.EnsureFree("peer.gossip.orgCluster.address", settings.OrgCluster.Address);
        }
        if (operations && settings.Operations.Enabled)
        {
            ListenerCheck.EnsureFree("operations.listenAddress", settings.Operations.ListenAddress);
        }
    }

    private static ActorSystem StartOrgSystem(PeerSettings settings, Config config, TlsMaterial? tls)
    {
        var orgConfig = AkkaNodeConfig.Org(settings, config).WithFallback(config);
        var setups = new List<Setup>
        {
            BootstrapSetup.Create().WithConfig(orgConfig),
            Serialization.ControlPlane.Setup(OrgStatusMessages.KnownTypes, orgConfig),
        };
        if (tls is not null)
        {
            // The org cluster accepts only the own organisation's TLS CA.
            setups.Add(TlsTrust.Setup(tls.Certificate,
                [tls.OwnOrgCa ?? throw new ArgumentException("A peer's TLS material needs its own organisation's TLS CA (the org cluster's).", nameof(tls))],
                "org cluster " + settings.OrgCluster.Address));
        }
        return ActorSystem.Create(AkkaNodeConfig.OrgSystemName, ActorSystemSetup.Create([.. setups]));
    }

    public Task Terminated => System.WhenTerminated;

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations { get; private set; }

    /// <summary>Starts /healthz, /metrics (unless metrics.provider = disabled) and /status at operations.listenAddress,
    /// unless that is "" (off).</summary>
    /// <exception cref="ListenerInUseException">Its port is already in use.</exception>
    public async Task StartOperationsAsync()
    {
        if (Settings.Operations.Enabled && Operations is null)
        {
            ListenerCheck.EnsureFree("operations.listenAddress", Settings.Operations.ListenAddress);
            Operations = await OperationsServer.StartAsync(Settings.Operations.ListenAddress, Settings.Id, Peer, Metrics,
                [.. Settings.Channels.Select(c => c.Name)], serveMetrics: Settings.Operations.MetricsEnabled);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Operations is not null)
        {
            await Operations.DisposeAsync();
            Operations = null;
        }
        if (OrgSystem is not null)
        {
            await CoordinatedShutdown.Get(OrgSystem).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }
}
