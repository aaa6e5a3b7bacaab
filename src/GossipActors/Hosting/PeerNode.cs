using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Logging;
using GossipActors.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>
/// One peer as a running host (docs/hosting.md, docs/security.md): a Microsoft.Extensions.Hosting host with the gossip
/// system (Akka.Hosting; the gossip endpoint, the actor tree at /user/peer) and, when peer.gossip.orgCluster.address is
/// set, the org system (a hosted service: the org cluster, hints and org status), both behind mutual TLS unless
/// TLS material is null. Tests start many in one process; the peer command adds console logging and the console
/// lifetime (Ctrl-C, SIGTERM).
/// </summary>
public sealed class PeerNode : IAsyncDisposable
{
    private readonly NodeHost _host;

    private PeerNode(IHost host)
    {
        _host = new NodeHost(host);
        System = host.Services.GetRequiredService<ActorSystem>();
        Peer = host.Services.GetRequiredService<ActorRegistry>().Get<PeerActor>();
        var org = host.Services.GetService<OrgSystemService>();
        OrgSystem = org?.System;
        OrgStatus = org?.OrgStatus;
        Settings = host.Services.GetRequiredService<PeerLaunch>().Settings;
        Logging = host.Services.GetRequiredService<PeerLaunch>().Logging;
        Metrics = host.Services.GetRequiredService<CollectorRegistry>();
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

    /// <summary>The node's logging, when it logs through Microsoft.Extensions.Logging (the peer command); its switch serves /logspec.</summary>
    public NodeLogging? Logging { get; }

    /// <summary>StopApplication asks the node to stop (the peer command calls it on Ctrl-C, SIGTERM, or its launcher gone);
    /// it is also called when the gossip system terminates on its own.</summary>
    public IHostApplicationLifetime Lifetime => _host.Lifetime;

    /// <param name="config">The peer's whole configuration (user HOCON, environment overrides and reference.conf),
    /// as <see cref="PeerConfig.Load"/> returns it; its akka.* keys apply beneath the derived settings.</param>
    /// <param name="tls">The TLS material; null = plain TCP (logged as a warning). Must agree with peer.tls.enabled.</param>
    /// <exception cref="ListenerInUseException">A listener's port is already in use.</exception>
    public static PeerNode Start(PeerSettings settings, Config config, NodeIdentity identity, CertificateVerifier certificates,
        TimeProvider time, TlsMaterial? tls) =>
        StartAsync(new PeerLaunch(settings, config, identity, certificates, time, tls)).GetAwaiter().GetResult();

    /// <summary>Starts the host. It handles no signal itself (many peers may share a test process): the peer command
    /// turns Ctrl-C and SIGTERM into <see cref="Lifetime"/>'s StopApplication.</summary>
    /// <exception cref="ListenerInUseException">A listener's port is already in use.</exception>
    public static async Task<PeerNode> StartAsync(PeerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        CheckListeners(launch.Settings, operations: false);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (launch.Logging is { } logging)
        {
            logging.Configure(builder.Logging);
        }
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddGossipPeer(launch);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await StopQuietly(host);
            throw;
        }
        return new PeerNode(host);
    }

    private static async Task StopQuietly(IHost host)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(bounded.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or AggregateException)
        {
            // The start failure is the error worth reporting.
        }
        host.Dispose();
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

    public Task Terminated => System.WhenTerminated;

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations => _host.Operations;

    /// <summary>Starts /healthz, /metrics (unless metrics.provider = disabled), /status, /version and /logspec at
    /// operations.listenAddress, unless that is "" (off). /healthz checks the gossip actor system, the peer actor and
    /// the ledger directory (docs/operations.md).</summary>
    /// <param name="logging">The run-time log level served at /logspec; a fixed "info" when null.</param>
    /// <exception cref="ListenerInUseException">Its port is already in use.</exception>
    public async Task StartOperationsAsync(LogLevelSwitch? logging = null)
    {
        if (Settings.Operations.Enabled && Operations is null)
        {
            ListenerCheck.EnsureFree("operations.listenAddress", Settings.Operations.ListenAddress);
            _host.Operations = await OperationsServer.StartAsync(Settings.Operations.ListenAddress, PeerOperations.Create(Settings.Id, Peer, Metrics,
                [.. Settings.Channels.Select(c => c.Name)], logging ?? Logging?.Switch ?? new LogLevelSwitch(LogSpec.Info), Settings.Operations.MetricsEnabled,
                System, Settings.Channels.Count > 0 ? Settings.FileSystemPath : null));
        }
    }

    /// <summary>Completes when the host is asked to stop: <see cref="Lifetime"/>'s StopApplication, or the gossip
    /// system's own termination (Akka.Hosting then calls it).</summary>
    public Task StopRequested => _host.StopRequested;

    /// <summary>Stops the operations endpoint, then the host: the org system (leaving the org cluster), then the
    /// gossip system (its actors stop, the ledgers close). Safe to call more than once and concurrently.</summary>
    public ValueTask DisposeAsync() => _host.StopAsync();
}
