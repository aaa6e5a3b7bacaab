using Akka.Actor;
using Akka.Actor.Setup;
using GossipActors.Boundary;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Operations;
using Prometheus;
using GossipActors.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GossipActors.Ordering;

/// <summary>
/// The solo ordering node as a running host (docs/hosting.md): a Microsoft.Extensions.Hosting host whose one actor
/// system "orderer" is hosted by Akka.Hosting as a boundary system (docs/security.md): Akka.Remote only (no cluster),
/// untrusted mode on and only /user/orderer reachable by selection, Kill and PoisonPill refused on arrival, the guardian
/// resuming the orderer on a Kill, and mutual TLS when given, hosting the <see cref="OrdererActor"/> (in the actor
/// registry under its type). Stopping the host stops the actor, which closes its store.
/// </summary>
public sealed class OrdererNode : IAsyncDisposable
{
    public const string SystemName = "orderer";
    public const string ActorName = "orderer";

    private readonly Hosting.NodeHost _host;

    private OrdererNode(IHost host, OrdererSettings settings, CollectorRegistry metrics)
    {
        _host = new Hosting.NodeHost(host);
        System = host.Services.GetRequiredService<ActorSystem>();
        Orderer = host.Services.GetRequiredService<ActorRegistry>().Get<OrdererActor>();
        Settings = settings;
        Metrics = metrics;
    }

    public ActorSystem System { get; }
    public IActorRef Orderer { get; }
    public OrdererSettings Settings { get; }

    /// <summary>The orderer's Prometheus registry (/metrics of its operations endpoint).</summary>
    public CollectorRegistry Metrics { get; }

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations => _host.Operations;

    /// <summary>StopApplication asks the node to stop (the orderer command calls it on Ctrl-C, SIGTERM, or its launcher gone).</summary>
    public IHostApplicationLifetime Lifetime => _host.Lifetime;

    /// <summary>The port actually bound (ListenPort, or the one chosen for port 0).</summary>
    public int Port => ((ExtendedActorSystem)System).Provider.DefaultAddress.Port ?? Settings.ListenPort;

    /// <summary>host:port of the running orderer, for clients' configuration.</summary>
    public string Endpoint => $"{Settings.ListenAddress}:{Port}";

    /// <param name="config">The whole configuration (user HOCON over reference.conf); its akka.* keys apply beneath the derived remote settings.</param>
    /// <param name="tls">This orderer's TLS certificate and the TLS CAs it accepts (the peer orgs it serves); null = plain TCP.</param>
    /// <exception cref="Boundary.ListenerInUseException">orderer.General.ListenPort is already bound.</exception>
    public static OrdererNode Start(OrdererSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates, TimeProvider time,
        TlsMaterial? tls = null) =>
        StartAsync(settings, config, identity, certificates, time, logging: null, tls).GetAwaiter().GetResult();

    /// <param name="logging">Logs through Microsoft.Extensions.Logging (the orderer command); null = Akka's own loggers as configured in akka.*.</param>
    public static async Task<OrdererNode> StartAsync(OrdererSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates,
        TimeProvider time, NodeLogging? logging, TlsMaterial? tls = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ListenerCheck.EnsureFree("orderer.General.ListenPort", settings.Endpoint);
        var listener = Listener.Of(SystemName, settings.Endpoint, settings.Endpoint, tls is not null, "orderer.General.ListenPort");
        var boundary = BoundaryConfig.BoundarySystem(listener, [$"/user/{ActorName}"]);
        var metrics = Prometheus.Metrics.NewCustomRegistry();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        logging?.Configure(builder.Logging);
        builder.Services.AddSingleton<IHostLifetime, Hosting.SignalFreeLifetime>();
        builder.Services.AddAkka(SystemName, (akka, provider) =>
        {
            akka.AddHocon(config.WithFallback(ReferenceConfig.Load()), HoconAddMode.Append);
            akka.AddHocon(boundary, HoconAddMode.Prepend);
            akka.WithRemoting(new RemoteOptions { HostName = settings.ListenAddress, Port = settings.ListenPort });
            var refusals = new BoundaryRefusals(metrics, "orderer_comm", "orderer");
            akka.AddSetup(refusals.Setup);
            if (tls is not null)
            {
                akka.AddSetup(TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "orderer " + settings.Endpoint, refusals));
            }
            logging?.Configure(akka, provider.GetRequiredService<ILoggerFactory>());
            akka.WithActors((system, registry) =>
            {
                if (tls is not null)
                {
                    OutboundTlsFailureGuard.Install(system, "orderer " + settings.Endpoint, refusals);
                }
                registry.Register<OrdererActor>(system.ActorOf(OrdererActor.Props(identity, certificates, ToOptions(settings),
                    () => OrdererStore.Open(settings.FileLedgerLocation), time, metrics), ActorName));
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new OrdererNode(host, settings, metrics);
    }

    /// <summary>Starts /healthz, /metrics (unless orderer.Metrics.Provider = disabled), /status, /version and /logspec
    /// at orderer.Operations.ListenAddress, unless that is "" (off).</summary>
    /// <param name="logging">The run-time log level served at /logspec; a fixed "info" when null.</param>
    /// <exception cref="Boundary.ListenerInUseException">Its port is already in use.</exception>
    public async Task StartOperationsAsync(LogLevelSwitch? logging = null)
    {
        if (Settings.OperationsEnabled && Operations is null)
        {
            Boundary.ListenerCheck.EnsureFree("orderer.Operations.ListenAddress", Settings.OperationsListenAddress);
            _host.Operations = await OperationsServer.StartAsync(Settings.OperationsListenAddress, OrdererOperations.Create(Settings.Id, Settings.LocalMspId,
                System, Orderer, Settings.MetricsEnabled ? Metrics : null, Settings.FileLedgerLocation, logging ?? new LogLevelSwitch(LogSpec.Info)));
        }
    }

    public static OrdererOptions ToOptions(OrdererSettings settings) => new(
        settings.Channels.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        new BatchLimits(settings.MaxMessageCount, settings.AbsoluteMaxBytes, settings.PreferredMaxBytes, settings.BatchTimeout),
        settings.MaxPendingTransactions,
        settings.DeliverWindow,
        settings.MaxDeliverStreams,
        settings.StreamIdleTimeout,
        settings.RequestFreshness,
        settings.Writers.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    /// <summary>akka.tcp://orderer@host:port/user/orderer (or the scheme the transport adapters make of it).</summary>
    public static string ActorPath(string endpoint, string protocol = "akka.tcp")
    {
        var (host, port) = Comm.HostPort.Parse(endpoint);
        return $"{protocol}://{SystemName}@{host}:{port}/user/{ActorName}";
    }

    public Task Terminated => System.WhenTerminated;

    /// <summary>Completes when the host is asked to stop (Ctrl-C, SIGTERM, StopApplication, or the actor system's own termination).</summary>
    public Task StopRequested => _host.StopRequested;

    /// <summary>Stops the host (coordinated shutdown of the actor system; the store closes). Safe to call more than once.</summary>
    public ValueTask DisposeAsync() => _host.StopAsync();
}
