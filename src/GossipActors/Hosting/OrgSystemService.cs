using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Hosting;
using GossipActors.Boundary;
using GossipActors.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>
/// The peer's org system as a hosted service beside the gossip system that Akka.Hosting hosts (docs/hosting.md):
/// Akka.Hosting registers one actor system per host, and this one differs in everything Akka.Hosting would share
/// (its own port, Akka.Cluster, Hyperion, TLS pinned to the own org's CA). It starts after the gossip system (it needs
/// /user/peer from the registry) and stops before it; stopping runs its coordinated shutdown, whose first phases make
/// the peer leave the org cluster.
/// </summary>
public sealed class OrgSystemService(PeerLaunch launch, ActorRegistry registry, ILoggerFactory loggerFactory, CollectorRegistry metrics) : IHostedService
{
    public ActorSystem? System { get; private set; }

    /// <summary>The org system's status actor (<see cref="GetOrgStatus"/>).</summary>
    public IActorRef? OrgStatus { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = launch.Settings;
        var peer = await registry.GetAsync<PeerActor>(cancellationToken);
        var orgConfig = AkkaNodeConfig.Org(settings, launch.Config).WithFallback(launch.Config);
        if (launch.Logging is { } logging)
        {
            orgConfig = logging.AkkaConfig().WithFallback(orgConfig);
        }
        var refusals = new BoundaryRefusals(metrics, "gossip_comm", "org-cluster");
        var setups = new List<Setup>
        {
            BootstrapSetup.Create().WithConfig(orgConfig),
            refusals.Setup,
            Serialization.ControlPlane.Setup(OrgStatusMessages.KnownTypes, orgConfig),
            new AkkaLogRouterSetup(loggerFactory),
        };
        if (launch.Tls is { } tls)
        {
            // The org cluster accepts only the own organisation's TLS CA.
            setups.Add(TlsTrust.Setup(tls.Certificate,
                [tls.OwnOrgCa ?? throw new ArgumentException("A peer's TLS material needs its own organisation's TLS CA (the org cluster's).", nameof(tls))],
                "org cluster " + settings.OrgCluster.Address, refusals));
        }
        var system = ActorSystem.Create(AkkaNodeConfig.OrgSystemName, ActorSystemSetup.Create([.. setups]));
        if (launch.Tls is not null)
        {
            OutboundTlsFailureGuard.Install(system, "org cluster " + settings.OrgCluster.Address, refusals);
        }
        var hints = system.ActorOf(ClusterHintsActor.Props(peer), "cluster-hints");
        OrgStatus = system.ActorOf(OrgStatusActor.Props(peer, settings.Id, settings.LocalMspId, settings.Gossip.Endpoint), OrgStatusActor.Name);
        peer.Tell(new OrgClusterAttached(hints));
        System = system;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (System is { } system)
        {
            await OutboundTlsFailureGuard.StopAsync(system, CoordinatedShutdown.ClrExitReason.Instance);
        }
    }
}
