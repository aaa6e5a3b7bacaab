using Akka.Actor;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Operations;
using Prometheus;

namespace GossipActors.Ordering;

/// <summary>
/// The solo ordering node as an Akka node: an actor system "orderer" with Akka.Remote only (no cluster), untrusted
/// mode on and only /user/orderer reachable by selection, hosting the <see cref="OrdererActor"/>.
/// (Mutual TLS on this listener comes with the trust boundary work.)
/// </summary>
public sealed class OrdererNode : IAsyncDisposable
{
    public const string SystemName = "orderer";
    public const string ActorName = "orderer";

    private OrdererNode(ActorSystem system, IActorRef orderer, OrdererSettings settings, CollectorRegistry metrics)
    {
        System = system;
        Orderer = orderer;
        Settings = settings;
        Metrics = metrics;
    }

    public ActorSystem System { get; }
    public IActorRef Orderer { get; }
    public OrdererSettings Settings { get; }

    /// <summary>The orderer's Prometheus registry (/metrics of its operations endpoint).</summary>
    public CollectorRegistry Metrics { get; }

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations { get; private set; }

    /// <summary>The port actually bound (ListenPort, or the one chosen for port 0).</summary>
    public int Port => ((ExtendedActorSystem)System).Provider.DefaultAddress.Port ?? Settings.ListenPort;

    /// <summary>host:port of the running orderer, for clients' configuration.</summary>
    public string Endpoint => $"{Settings.ListenAddress}:{Port}";

    /// <param name="config">The whole configuration (user HOCON over reference.conf); its akka.* keys apply beneath the derived remote settings.</param>
    public static OrdererNode Start(OrdererSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var remote = ConfigurationFactory.ParseString($$"""
            akka {
              actor.provider = remote
              remote {
                untrusted-mode = on
                trusted-selection-paths = ["/user/{{ActorName}}"]
                dot-netty.tcp {
                  hostname = "{{settings.ListenAddress}}"
                  port = {{settings.ListenPort}}
                }
              }
            }
            """);
        var system = ActorSystem.Create(SystemName, remote.WithFallback(config).WithFallback(ReferenceConfig.Load()));
        var options = ToOptions(settings);
        var metrics = Prometheus.Metrics.NewCustomRegistry();
        var orderer = system.ActorOf(OrdererActor.Props(identity, certificates, options,
            () => OrdererStore.Open(settings.FileLedgerLocation), time, metrics), ActorName);
        return new OrdererNode(system, orderer, settings, metrics);
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
            Operations = await OperationsServer.StartAsync(Settings.OperationsListenAddress, OrdererOperations.Create(Settings.Id, Settings.LocalMspId,
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
        settings.RequestFreshness);

    /// <summary>akka.tcp://orderer@host:port/user/orderer (or the scheme the transport adapters make of it).</summary>
    public static string ActorPath(string endpoint, string protocol = "akka.tcp")
    {
        var (host, port) = Comm.HostPort.Parse(endpoint);
        return $"{protocol}://{SystemName}@{host}:{port}/user/{ActorName}";
    }

    public Task Terminated => System.WhenTerminated;

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
