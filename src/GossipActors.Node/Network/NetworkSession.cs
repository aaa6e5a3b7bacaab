using GossipActors.Boundary;
using GossipActors.Crypto;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Operations;
using GossipActors.Ordering;

namespace GossipActors.Node.Network;

/// <summary>Counters read from every node at one moment, to be subtracted (end minus start) over a run.</summary>
/// <param name="PeerCopies">Per peer: full block copies received so far (gossip and orderer deliveries).</param>
/// <param name="OrdererBytes">orderer_deliver_sent_bytes_total, or null if the orderer did not answer.</param>
/// <param name="CpuSeconds">User + system CPU of every node process so far.</param>
internal sealed record CounterReading(IReadOnlyDictionary<string, long> PeerCopies, long? OrdererBytes, double CpuSeconds)
{
    public RunMeasurements Minus(CounterReading start, IReadOnlyList<ulong> blocks, IReadOnlyDictionary<string, IReadOnlyList<PeerBlockTime>> peerBlocks) => new(
        blocks,
        peerBlocks,
        PeerCopies.ToDictionary(p => p.Key, p => p.Value - start.PeerCopies.GetValueOrDefault(p.Key)),
        OrdererBytes is { } end && start.OrdererBytes is { } begin ? end - begin : null,
        CpuSeconds - start.CpuSeconds);
}

/// <summary>
/// A generated network (DIR/network.json) running as child processes of this one: starts the orderer and the peers
/// with the <see cref="NodeLauncher"/>, reads their operations endpoints (/status, /metrics, /blocks), reads their
/// CPU time, and submits transactions to the orderer from a small client actor system. Disposing stops every child.
/// </summary>
internal sealed class NetworkSession : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NodeLauncher _launcher;
    private readonly StatusPoller _poller = new(TimeSpan.FromSeconds(3));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private ActorSystem? _client;

    private NetworkSession(NetworkManifest network, NodeLauncher launcher, int transactionsPerBlock)
    {
        Network = network;
        _launcher = launcher;
        TransactionsPerBlock = transactionsPerBlock;
    }

    public NetworkManifest Network { get; }

    public NodeLauncher Launcher => _launcher;

    /// <summary>orderer.BatchSize.MaxMessageCount of the orderer: transactions that make one block.</summary>
    public int TransactionsPerBlock { get; }

    /// <summary>The network in <paramref name="directory"/>, written first by <c>network init</c> if there is none.</summary>
    /// <param name="created">True if it was written now.</param>
    public static NetworkManifest Prepare(string directory, NetworkOptions options, out bool created)
    {
        var manifest = NetworkManifest.PathIn(directory);
        created = !File.Exists(manifest);
        return created
            ? NetworkInitializer.Initialize(directory, options, DateTimeOffset.UtcNow, FreeLoopbackPorts.Take)
            : NetworkManifest.Read(manifest);
    }

    /// <summary>Starts the orderer, then every peer (with <paramref name="peerEnvironment"/>, e.g. CORE_* overrides).</summary>
    public static NetworkSession Start(NetworkManifest network, IReadOnlyDictionary<string, string> peerEnvironment, NodeLauncher? launcher = null)
    {
        var orderer = OrdererSettings.FromConfig(ConfigurationFactory.ParseString(File.ReadAllText(network.Orderer.Config)).WithFallback(ReferenceConfig.Load()));
        var session = new NetworkSession(network, launcher ?? new NodeLauncher(network.LogDirectory), orderer.MaxMessageCount);
        session._launcher.Start(network.Orderer);
        foreach (var peer in network.Peers)
        {
            session._launcher.Start(peer, peerEnvironment);
        }
        return session;
    }

    /// <summary>A child that exited (it should not have), or null.</summary>
    public NodeProcess? Exited => _launcher.Children.FirstOrDefault(c => c.HasExited);

    /// <summary>Each peer as its /status shows it now (not answering: <see cref="PeerView.Up"/> false).</summary>
    public async Task<IReadOnlyList<PeerView>> PeersAsync(CancellationToken cancellation)
    {
        var statuses = await _poller.PollAsync(Network.Peers, cancellation).ConfigureAwait(false);
        return [.. Network.Peers.Select(p => View(p, statuses.GetValueOrDefault(p.Name)))];
    }

    /// <summary>The orderer's height on the channel (its /status), or null when it has no operations endpoint or did not answer.</summary>
    public async Task<ulong?> OrdererHeightAsync(CancellationToken cancellation)
    {
        if (Network.Orderer.Operations is not { } url)
        {
            return null;
        }
        try
        {
            using var document = await _http.GetFromJsonAsync<JsonDocument>(new Uri(new Uri(url), "/status"), cancellation).ConfigureAwait(false);
            foreach (var channel in document!.RootElement.GetProperty("channels").EnumerateArray())
            {
                if (channel.GetProperty("name").GetString() == Network.Channel)
                {
                    return channel.GetProperty("height").GetUInt64();
                }
            }
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Copies per peer, the orderer's deliver bytes and every child's CPU time, now.</summary>
    public async Task<CounterReading> ReadCountersAsync(CancellationToken cancellation)
    {
        var copies = await Task.WhenAll(Network.Peers.Select(async p =>
        {
            var text = await MetricsAsync(p.Operations, cancellation).ConfigureAwait(false);
            return (p.Name, Copies: text is null ? 0L : (long)(PrometheusSamples.Sum(text, "gossip_channel_full_copies_received_total")
                + PrometheusSamples.Sum(text, "gossip_channel_orderer_blocks_received_total")));
        })).ConfigureAwait(false);
        var orderer = await MetricsAsync(Network.Orderer.Operations, cancellation).ConfigureAwait(false);
        return new CounterReading(copies.ToDictionary(c => c.Name, c => c.Copies, StringComparer.Ordinal),
            orderer is null ? null : (long)PrometheusSamples.Sum(orderer, "orderer_deliver_sent_bytes_total"), CpuSeconds());
    }

    /// <summary>
    /// Every peer's recent blocks with cut and commit times (/blocks), each tried up to three times (a loaded machine
    /// can be slow to answer); a peer that never answers has none, and is named in <paramref name="failures"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<PeerBlockTime>>> BlocksAsync(List<string> failures, CancellationToken cancellation)
    {
        var blocks = await Task.WhenAll(Network.Peers.Select(async p =>
        {
            var url = new Uri(new Uri(p.Operations!), "/blocks?channel=" + Uri.EscapeDataString(Network.Channel));
            string? error = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    var recent = await _http.GetFromJsonAsync<RecentBlocksStatus>(url, Json, cancellation).ConfigureAwait(false);
                    if (recent?.Blocks is { } list)
                    {
                        return (p.Name, Blocks: (IReadOnlyList<PeerBlockTime>)[.. list.Select(b => new PeerBlockTime(b.Number, b.CutUnixMs, b.CommittedUnixMs, b.ReceivedUnixMs, b.Source ?? ""))], Error: (string?)null);
                    }
                    error = "an empty answer";
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
                {
                    error = ex.Message;
                }
            }
            return (p.Name, Blocks: (IReadOnlyList<PeerBlockTime>)[], Error: error);
        })).ConfigureAwait(false);
        lock (failures)
        {
            failures.AddRange(blocks.Where(b => b.Error is not null).Select(b => $"{b.Name}: {b.Error}"));
        }
        return blocks.ToDictionary(b => b.Name, b => b.Blocks, StringComparer.Ordinal);
    }

    /// <summary>
    /// Submits one block's worth of transactions (<see cref="TransactionsPerBlock"/> of <paramref name="size"/> bytes),
    /// so the orderer cuts a block by count at once. Returns why not all were accepted, or null.
    /// </summary>
    private NodeIdentity? _submitter; // the first peer's identity: a member of a writer org of the channel

    public async Task<string?> SubmitBlockAsync(int size)
    {
        _submitter ??= NodeDirectory.Open(SubmitterDirectory).LoadIdentity();
        var client = StartClient();
        var report = await Broadcast.RunAsync(client, _submitter, _ordererPath!, Network.Channel,
            TransactionsPerBlock, size).ConfigureAwait(false);
        return report.Accepted == TransactionsPerBlock && report.Error is null
            ? null
            : $"the orderer accepted {report.Accepted} of {TransactionsPerBlock} transactions"
                + string.Concat(report.ByStatus.Where(s => s.Key != Protocol.Wire.BroadcastStatus.Accepted).Select(s => $", {s.Key}: {s.Value}"))
                + (report.Error is null ? "" : ": " + report.Error);
    }

    /// <summary>
    /// Starts the submitting client's actor system (once; a run starts it while the nodes start). Its logging is off:
    /// remoting chatter (the orderer stopping at the end of a run) would break the live view; refusals and an
    /// unreachable orderer come back in each submission's report.
    /// </summary>
    public ActorSystem StartClient()
    {
        if (_client is not null)
        {
            return _client;
        }
        // With TLS, the client presents the first peer's TLS certificate (a peer org's TLS CA issued it, so the orderer
        // accepts it) and trusts the CAs in that node's tlscacerts/.
        var tls = Network.Tls ? TlsMaterial.LoadNodeDirectory(SubmitterDirectory, "network up") : null;
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = {{(tls is null ? "off" : "on")}} }
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.remote.log-remote-lifecycle-events = off
            """).WithFallback(Boundary.OutboundTlsFailureGuard.Config).WithFallback(ReferenceConfig.Load());
        _ordererPath = OrdererNode.ActorPath(Network.Orderer.Endpoint, Boundary.BoundaryConfig.Protocol(config, tls is not null));
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        _client = tls is null
            ? ActorSystem.Create("network-up", ActorSystemSetup.Create(bootstrap))
            : ActorSystem.Create("network-up", ActorSystemSetup.Create(bootstrap, Boundary.TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "network up")));
        // The session outlives an orderer restart: a handshake that fails meanwhile must not stop the client for good.
        Boundary.OutboundTlsFailureGuard.Install(_client, "network up", new Boundary.BoundaryRefusals());
        return _client;
    }

    private string? _ordererPath;

    private string SubmitterDirectory => NetworkPlanner.NodeCryptoDirectory(Network.Directory, Network.Peers.First());

    /// <summary>User + system CPU seconds of every running child (read from the OS: /proc/&lt;pid&gt;/stat on Linux).</summary>
    public double CpuSeconds()
    {
        var total = 0.0;
        foreach (var child in _launcher.Children)
        {
            try
            {
                child.Process.Refresh();
                total += child.Process.TotalProcessorTime.TotalSeconds;
            }
            catch (InvalidOperationException)
            {
                // It exited: its CPU time is no longer readable.
            }
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _launcher.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_client is not null)
            {
                await _client.Terminate().ConfigureAwait(false);
            }
            _poller.Dispose();
            _http.Dispose();
        }
    }

    private async Task<string?> MetricsAsync(string? operations, CancellationToken cancellation)
    {
        if (operations is null)
        {
            return null;
        }
        try
        {
            return await _http.GetStringAsync(new Uri(new Uri(operations), "/metrics"), cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private PeerView View(NetworkNode peer, PeerStatus? status)
    {
        var channel = status?.Channels.FirstOrDefault(c => c.Name == Network.Channel);
        return status is null
            ? new PeerView(peer.Name, peer.Org, false, 0, false, 0, null)
            : new PeerView(peer.Name, peer.Org, true, channel?.Height ?? 0, channel?.IsLeader ?? false, status.Alive.Count, channel?.LastBlockLatencyMs);
    }
}
