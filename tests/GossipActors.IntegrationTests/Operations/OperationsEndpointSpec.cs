using System.Net;
using System.Text.Json;
using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Ordering;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Operations;

/// <summary>
/// The operations endpoints of running nodes (an orderer and two Org1 peers over real Akka.Remote on loopback, in
/// process), after blocks have flowed: /metrics is valid Prometheus text with Fabric's names, /status matches the
/// documented schemas, /healthz answers 200 while serving and 503 naming the failed check otherwise.
/// Bounded: each test waits at most about 2 minutes (dilated), most of it for blocks to reach both peers.
/// </summary>
public sealed class OperationsEndpointSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "ch";
    private readonly OrderingNetwork _network = new(Channel, "Org1");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public OperationsEndpointSpec() : base("akka.test.timefactor = 2")
    {
    }

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        _http.Dispose();
        base.Dispose(disposing);
    }

    private async Task<OrdererNode> StartOrderer(int port)
    {
        var node = _network.Ordering.Start(port, extraHocon: "Operations.ListenAddress = \"127.0.0.1:0\"");
        await node.StartOperationsAsync();
        return node;
    }

    /// <summary>Org1's peer0 (static leader, pulls from the orderer) and peer1 (standby, gets blocks by gossip).</summary>
    private async Task StartPeers(int ordererPort, int count)
    {
        var factory = _network.Peers.Factory;
        var ports = Enumerable.Range(0, count).Select(_ => LoopbackPorts.Next()).ToList();
        for (var i = 0; i < count; i++)
        {
            var orderers = ordererPort == 0 ? "" : $"\"127.0.0.1:{ordererPort}\"";
            var hocon = $$"""
                peer.tls.enabled = false
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = {{(i == 0 ? "true" : "false")}}
                peer.deliveryclient { connTimeout = 1s, reConnectBackoffThreshold = 1s }
                peer.channels = [{ name = "{{Channel}}", orgs = ["Org1"], orderers = [{{orderers}}], ordererOrg = "OrdererOrg" }]
                operations.listenAddress = "127.0.0.1:0"
                """;
            var peer = factory.Start($"peer{i}.org1", ports[i], [ports[0]], extraHocon: hocon);
            _network.Peers.Add(peer);
            await peer.StartOperationsAsync();
        }
    }

    private static Uri At(PeerNode peer, string path) => new(peer.Operations!.BaseAddress, path);

    private Uri At(string path) => new(_network.Orderer!.Operations!.BaseAddress, path);

    private Task<BroadcastReport> Submit(int port, string channel, int count) => _network.Client.Submit(port, channel, count);

    private static ChannelStatus Status(PeerNode peer) => peer.Peer.Ask<ChannelStatus>(new GetChannelStatus(Channel), TimeSpan.FromSeconds(10)).Result;

    private async Task<IReadOnlyDictionary<string, PrometheusFamily>> Metrics(Uri uri)
    {
        using var response = await _http.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(IReadOnlyDictionary<string, PrometheusFamily> families, string sample, params (string Label, string Value)[] labels) =>
        families.Values.SelectMany(f => f.Samples)
            .Single(s => s.Name == sample && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Value;

    private async Task<(HttpStatusCode Status, JsonElement Body)> Healthz(Uri uri)
    {
        using var response = await _http.GetAsync(uri);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static IReadOnlyList<string> FailedComponents(JsonElement body) =>
        body.TryGetProperty("failed_checks", out var failed) ? [.. failed.EnumerateArray().Select(f => f.GetProperty("component").GetString()!)] : [];

    [Fact]
    public async Task After_blocks_flowed_metrics_are_valid_prometheus_text_with_fabric_names_and_status_matches_the_documented_schema()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = await StartOrderer(port);
        await StartPeers(port, 2);
        AwaitAssert(() => Assert.All(_network.Peers.Nodes, p => Assert.Single(Status(p).Peers)), Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

        var report = await Submit(port, Channel, 30);
        var refused = await Submit(port, "nochannel", 1);

        Assert.Equal(30, report.Accepted);
        Assert.Equal(0, refused.Accepted);
        ulong height = 0;
        AwaitAssert(() =>
        {
            var heights = _network.Orderer.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10)).Result;
            Assert.Equal(0, heights.Pending);
            height = heights.Heights[Channel];
            Assert.All(_network.Peers.Nodes, p => Assert.Equal(height, Status(p).Height));
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

        // A peer's /metrics: every family valid; Fabric's gossip metrics with Fabric's types and labels.
        var leader = await Metrics(At(_network.Peers.Nodes[0], "/metrics"));
        var standby = await Metrics(At(_network.Peers.Nodes[1], "/metrics"));
        foreach (var (name, type) in new[]
        {
            ("gossip_state_height", "gauge"), ("gossip_state_commit_duration", "histogram"), ("gossip_payload_buffer_size", "gauge"),
            ("gossip_leader_election_leader", "gauge"), ("gossip_membership_total_peers_known", "gauge"),
            ("gossip_comm_messages_sent", "counter"), ("gossip_comm_messages_received", "counter"), ("gossip_comm_overflow_count", "counter"),
            ("gossip_comm_messages_rejected", "counter"), ("gossip_channel_rejected_total", "counter"),
        })
        {
            Assert.True(standby.TryGetValue(name, out var family), $"{name} is missing from /metrics");
            Assert.Equal(type, family!.Type);
        }
        Assert.Equal(height, Value(standby, "gossip_state_height", ("channel", Channel)));
        Assert.True(Value(standby, "gossip_state_commit_duration_count", ("channel", Channel)) >= 1);
        Assert.Equal(0, Value(standby, "gossip_payload_buffer_size", ("channel", Channel)));
        Assert.Equal(1, Value(standby, "gossip_membership_total_peers_known", ("channel", Channel)));
        Assert.True(Value(standby, "gossip_comm_messages_received") > 0);
        Assert.True(Value(standby, "gossip_comm_messages_sent") > 0);
        Assert.Equal(1, Value(leader, "gossip_leader_election_leader", ("channel", Channel)));
        Assert.Equal(0, Value(standby, "gossip_leader_election_leader", ("channel", Channel)));

        // The orderer's /metrics.
        var orderer = await Metrics(At("/metrics"));
        Assert.Equal(30, Value(orderer, "orderer_broadcast_accepted_total", ("channel", Channel)));
        Assert.Equal(1, Value(orderer, "orderer_broadcast_rejected_total", ("reason", "UnknownChannel")));
        Assert.True(Value(orderer, "orderer_deliver_sent_blocks_total", ("channel", Channel)) >= height);
        Assert.True(Value(orderer, "orderer_deliver_sent_bytes_total", ("channel", Channel)) > 200 * 30);
        Assert.Equal(height, Value(orderer, "ledger_blockchain_height", ("channel", Channel)));
        Assert.Equal("counter", orderer["orderer_deliver_sent_bytes_total"].Type);

        // /status of both kinds of node against docs/*-status.schema.json, field by field.
        var peerStatus = await _http.GetStringAsync(At(_network.Peers.Nodes[1], "/status"));
        var ordererStatus = await _http.GetStringAsync(At("/status"));
        Assert.Empty(StatusSchema.Load("peer-status.schema.json").Problems(peerStatus));
        Assert.Empty(StatusSchema.Load("orderer-status.schema.json").Problems(ordererStatus));
        var channel = JsonDocument.Parse(peerStatus).RootElement.GetProperty("channels")[0];
        Assert.Equal(height, channel.GetProperty("height").GetUInt64());
        Assert.False(channel.GetProperty("isLeader").GetBoolean());
        var leaderStatus = await _http.GetStringAsync(At(_network.Peers.Nodes[0], "/status"));
        Assert.Empty(StatusSchema.Load("peer-status.schema.json").Problems(leaderStatus));
        Assert.True(JsonDocument.Parse(leaderStatus).RootElement.GetProperty("channels")[0].GetProperty("isLeader").GetBoolean());
        var ordered = JsonDocument.Parse(ordererStatus).RootElement;
        Assert.Equal("OrdererOrg", ordered.GetProperty("mspId").GetString());
        Assert.Equal(height, ordered.GetProperty("channels")[0].GetProperty("height").GetUInt64());

        Assert.Equal(HttpStatusCode.OK, (await Healthz(At(_network.Peers.Nodes[1], "/healthz"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Healthz(At("/healthz"))).Status);
    }

    [Fact]
    public async Task Healthz_answers_503_naming_the_ledger_when_its_directory_is_gone_and_the_actor_system_once_terminated()
    {
        _network.Orderer = await StartOrderer(LoopbackPorts.Next());
        await StartPeers(ordererPort: 0, count: 1);
        var peer = _network.Peers.Nodes[0];
        await AwaitAssertAsync(async () => Assert.Equal(HttpStatusCode.OK, (await Healthz(At(peer, "/healthz"))).Status),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(300));
        Assert.Equal(HttpStatusCode.OK, (await Healthz(At("/healthz"))).Status);

        Directory.Delete(peer.Settings.FileSystemPath, recursive: true);
        Directory.Delete(_network.Ordering.LedgerDirectory, recursive: true);

        var (peerStatus, peerBody) = await Healthz(At(peer, "/healthz"));
        var (ordererStatus, ordererBody) = await Healthz(At("/healthz"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Service Unavailable"), (peerStatus, peerBody.GetProperty("status").GetString()));
        Assert.Equal(["ledger"], FailedComponents(peerBody));
        Assert.Contains("peer.fileSystemPath", peerBody.GetProperty("failed_checks")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ordererStatus);
        Assert.Equal(["ledger"], FailedComponents(ordererBody));

        Directory.CreateDirectory(peer.Settings.FileSystemPath);
        Directory.CreateDirectory(_network.Ordering.LedgerDirectory);
        Assert.Equal(HttpStatusCode.OK, (await Healthz(At(peer, "/healthz"))).Status);
        await peer.System.Terminate();
        await _network.Orderer.System.Terminate();

        var (stopped, stoppedBody) = await Healthz(At(peer, "/healthz"));
        var (ordererStopped, ordererStoppedBody) = await Healthz(At("/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped);
        Assert.Contains("actorSystem", FailedComponents(stoppedBody));
        Assert.Contains("gossip", FailedComponents(stoppedBody));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ordererStopped);
        Assert.Contains("actorSystem", FailedComponents(ordererStoppedBody));
    }
}
