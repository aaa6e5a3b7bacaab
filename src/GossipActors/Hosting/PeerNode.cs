using Akka.Actor;
using Akka.Configuration;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Operations;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>One peer as an Akka node: its actor system (remote + org cluster) and its actor tree at /user/peer.</summary>
public sealed class PeerNode : IAsyncDisposable
{
    private PeerNode(ActorSystem system, IActorRef peer, PeerSettings settings, CollectorRegistry metrics)
    {
        System = system;
        Peer = peer;
        Settings = settings;
        Metrics = metrics;
    }

    public ActorSystem System { get; }
    public IActorRef Peer { get; }
    public PeerSettings Settings { get; }
    public CollectorRegistry Metrics { get; }

    /// <param name="config">The peer's whole configuration (user HOCON, environment overrides and reference.conf),
    /// as <see cref="PeerConfig.Load"/> returns it; its akka.* keys apply beneath the derived remote/cluster settings.</param>
    public static PeerNode Start(PeerSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates,
        TimeProvider time, bool cluster = true)
    {
        var system = ActorSystem.Create(AkkaNodeConfig.SystemName, AkkaNodeConfig.Build(settings, config, cluster).WithFallback(config));
        var metrics = Prometheus.Metrics.NewCustomRegistry();
        var incarnation = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        var components = new PeerComponents(identity, certificates, SettingsMapping.ToComm(settings.Gossip),
            SettingsMapping.ToMembershipOptions(settings, incarnation), EndpointResolver.Remote(AkkaNodeConfig.SystemName, AkkaNodeConfig.Protocol(config)),
            time, new Random(), metrics, SettingsMapping.ToChannels(settings, AkkaNodeConfig.Protocol(config)),
            channel => SqliteBlockLedger.Open(settings.FileSystemPath, channel));
        var peer = system.ActorOf(PeerActor.Props(components), EndpointResolver.PeerActorName);
        return new PeerNode(system, peer, settings, metrics);
    }

    public Task Terminated => System.WhenTerminated;

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations { get; private set; }

    /// <summary>Starts /healthz, /metrics (unless metrics.provider = disabled) and /status at operations.listenAddress,
    /// unless that is "" (off).</summary>
    public async Task StartOperationsAsync()
    {
        if (Settings.Operations.Enabled && Operations is null)
        {
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
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }
}
