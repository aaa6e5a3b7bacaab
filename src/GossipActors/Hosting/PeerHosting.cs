using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using GossipActors.Boundary;
using GossipActors.Comm;
using GossipActors.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>
/// A peer on Microsoft.Extensions.Hosting (docs/hosting.md): the gossip system through Akka.Hosting (its HOCON is the
/// boundary configuration in front of the peer's configuration, its listener stated with Akka.Remote.Hosting, its TLS
/// a setup, /user/peer in the actor registry under <see cref="PeerActor"/>), and the org system as
/// <see cref="OrgSystemService"/> when peer.gossip.orgCluster.address is set.
/// </summary>
public static class PeerHosting
{
    public static IServiceCollection AddGossipPeer(this IServiceCollection services, PeerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var settings = launch.Settings;
        if (settings.Tls.Enabled != launch.Tls is not null)
        {
            throw new ArgumentException($"peer.tls.enabled = {settings.Tls.Enabled.ToString().ToLowerInvariant()}, but TLS material was {(launch.Tls is null ? "not " : "")}given.", nameof(launch));
        }
        var metrics = Prometheus.Metrics.NewCustomRegistry();
        services.AddSingleton(launch);
        services.AddSingleton(metrics);
        services.AddAkka(AkkaNodeConfig.SystemName, (akka, provider) =>
        {
            var listener = AkkaNodeConfig.GossipListener(settings);
            akka.AddHocon(launch.Config, HoconAddMode.Append);
            // In front of the peer's configuration: nothing there can weaken untrusted mode or the serializers.
            akka.AddHocon(AkkaNodeConfig.Gossip(settings), HoconAddMode.Prepend);
            akka.WithRemoting(new RemoteOptions { HostName = listener.BindHost, Port = listener.Port, PublicHostName = listener.PublicHost });
            var refusals = new BoundaryRefusals(metrics, "gossip_comm", "gossip");
            akka.AddSetup(refusals.Setup);
            if (launch.Tls is { } tls)
            {
                akka.AddSetup(TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "gossip endpoint " + settings.Address, refusals));
            }
            if (launch.Logging is { } logging)
            {
                logging.Configure(akka, provider.GetRequiredService<ILoggerFactory>());
            }
            akka.WithActors((system, registry) =>
            {
                if (launch.Tls is not null)
                {
                    OutboundTlsFailureGuard.Install(system, "gossip endpoint " + settings.Address, refusals);
                }
                else
                {
                    system.Log.Warning("peer.tls.enabled = false: the gossip endpoint {0} accepts plain TCP connections from anyone who reaches it. Use this for local experiments only.", settings.Address);
                }
                registry.Register<PeerActor>(system.ActorOf(PeerActor.Props(Components(launch, metrics)), EndpointResolver.PeerActorName));
            });
        });
        if (settings.OrgCluster.Enabled)
        {
            services.AddSingleton<OrgSystemService>();
            services.AddHostedService(provider => provider.GetRequiredService<OrgSystemService>());
        }
        return services;
    }

    private static PeerComponents Components(PeerLaunch launch, CollectorRegistry metrics)
    {
        var settings = launch.Settings;
        var protocol = BoundaryConfig.Protocol(launch.Config, settings.Tls.Enabled);
        var incarnation = (ulong)launch.Time.GetUtcNow().ToUnixTimeMilliseconds();
        return new PeerComponents(launch.Identity, launch.Certificates, SettingsMapping.ToComm(settings.Gossip),
            SettingsMapping.ToMembershipOptions(settings, incarnation),
            EndpointResolver.Remote(AkkaNodeConfig.SystemName, protocol),
            launch.Time, new Random(), metrics, SettingsMapping.ToChannels(settings, protocol),
            launch.LedgerFactory ?? (channel => SqliteBlockLedger.Open(settings.FileSystemPath, channel)));
    }
}
