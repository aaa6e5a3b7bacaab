using System.Net.Http.Json;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Ordering;
using GossipActors.IntegrationTests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>
/// How a real node process ends: its launcher's stdin pipe closing (GOSSIP_STOP_ON_STDIN_EOF=1), or SIGTERM; each
/// time it stops gracefully (ledgers closed: SQLite's write-ahead log merged and removed) and exits 0. Every process is
/// bounded in time (60 s dilated per step) and killed in Dispose.
/// </summary>
public sealed class NodeShutdownSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-shutdown-" + Guid.NewGuid().ToString("N"));
    private readonly List<NodeProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public NodeShutdownSpec() : base("akka.test.timefactor = 2") { }

    protected override void Dispose(bool disposing)
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        _http.Dispose();
        base.Dispose(disposing);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private NodeProcess StartPeer(int port, int opsPort, IReadOnlyDictionary<string, string> environment)
    {
        var config = Path.Combine(_root, "peer0.conf");
        File.WriteAllText(config, $$"""
            peer {
              id = "peer0.org1"
              localMspId = "Org1"
              address = "127.0.0.1:{{port}}"
              mspConfigPath = "{{Path.Combine(_root, "crypto", "Org1", "peer0.org1")}}"
              fileSystemPath = "{{Path.Combine(_root, "data")}}"
              operations.listenAddress = "127.0.0.1:{{opsPort}}"
              channels = [ { name = "mychannel", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
            }
            """);
        var process = NodeProcess.Start(["peer", "--config", config], environment);
        _processes.Add(process);
        return process;
    }

    private async Task AwaitHealthy(NodeProcess process, int opsPort) =>
        await AwaitAssertAsync(async () =>
        {
            Assert.False(process.Process.HasExited, "the peer exited early: " + process.Stderr);
            Assert.Equal("OK", (await _http.GetFromJsonAsync<Dictionary<string, string>>($"http://127.0.0.1:{opsPort}/healthz"))!["status"]);
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task A_peer_told_to_watch_its_stdin_stops_gracefully_when_its_launcher_closes_the_pipe()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var (port, opsPort) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var peer = StartPeer(port, opsPort, new Dictionary<string, string> { ["GOSSIP_STOP_ON_STDIN_EOF"] = "1" });
        await AwaitHealthy(peer, opsPort);
        await peer.Process.StandardInput.WriteLineAsync("anything the launcher writes is ignored");
        await peer.Process.StandardInput.FlushAsync();
        Assert.False(peer.Process.HasExited);

        peer.Process.StandardInput.Close();

        Assert.True(peer.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the peer should have stopped when its stdin closed");
        Assert.Equal(0, peer.Process.ExitCode);
        Assert.Contains("peer peer0.org1 stopped", peer.Stdout);
    }

    [Fact]
    public async Task A_peer_not_told_to_watch_its_stdin_keeps_running_when_it_closes()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var (port, opsPort) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var peer = StartPeer(port, opsPort, new Dictionary<string, string>());
        await AwaitHealthy(peer, opsPort);

        peer.Process.StandardInput.Close();

        // Still serving well after the pipe closed: the watch is opt-in (a peer run under nohup has no stdin).
        Assert.False(peer.WaitForExit(Dilated(TimeSpan.FromSeconds(3))));
        await AwaitHealthy(peer, opsPort);
        peer.Terminate();
        Assert.True(peer.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the peer should have stopped on SIGTERM");
        Assert.Equal(0, peer.Process.ExitCode);
    }

    private NodeProcess StartOrderer(int port, IReadOnlyDictionary<string, string> environment)
    {
        var config = Path.Combine(_root, "orderer.conf");
        File.WriteAllText(config, $$"""
            orderer {
              General {
                ListenAddress = "127.0.0.1"
                ListenPort = {{port}}
                LocalMSPDir = "{{Path.Combine(_root, "crypto", "OrdererOrg", "orderer0.ordererorg")}}"
                LocalMSPID = "OrdererOrg"
                Id = "orderer0.ordererorg"
              }
              FileLedger.Location = "{{Path.Combine(_root, "orderer")}}"
              BatchTimeout = 200ms
              BatchSize.MaxMessageCount = 10
              Channels = [ { orgs = ["Org1"], name = "mychannel" } ]
            }
            """);
        var process = NodeProcess.Start(["orderer", "--config", config], environment);
        _processes.Add(process);
        return process;
    }

    private void AwaitListening(NodeProcess process) =>
        AwaitCondition(() => process.Process.HasExited || process.Stdout.Contains(" listening at ", StringComparison.Ordinal), Dilated(TimeSpan.FromSeconds(60)));

    [Fact]
    public void An_orderer_stops_on_SIGTERM_with_exit_0_and_its_ledger_closed_intact()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var port = LoopbackPorts.Next();
        var orderer = StartOrderer(port, new Dictionary<string, string>());
        AwaitListening(orderer);
        Assert.False(orderer.Process.HasExited, "the orderer exited early: " + orderer.Stderr);
        using (var submit = NodeProcess.Start(["submit", "--orderer", $"127.0.0.1:{port}", "--channel", "mychannel", "--count", "25",
            "--msp", Path.Combine(_root, "crypto", "Org1", "peer0.org1")]))
        {
            Assert.True(submit.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "submit should have finished");
            Assert.True(submit.Process.ExitCode == 0, "submit: " + submit.Stdout + submit.Stderr);
        }

        orderer.Terminate();

        Assert.True(orderer.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the orderer should have stopped on SIGTERM");
        Assert.Equal(0, orderer.Process.ExitCode);
        Assert.Contains("orderer orderer0.ordererorg stopped", orderer.Stdout);
        var ledger = Path.Combine(_root, "orderer");
        Assert.False(File.Exists(Path.Combine(ledger, OrdererStore.FileName + "-wal")), "a closed store leaves no write-ahead log");
        using var store = OrdererStore.Open(ledger);
        var (height, _) = store.Tip("mychannel");
        // 25 transactions in blocks of 10: two blocks by count at once; the last 5 are cut by BatchTimeout, which SIGTERM
        // may come before. Either way no accepted transaction is lost: it is in a block or still pending on disk.
        Assert.True(height >= 2, $"25 transactions in blocks of 10 make at least 2 blocks by count; the ledger has {height}");
        Assert.Equal(25 - Math.Min(25, (int)height * 10), store.Pending("mychannel").Count);
        for (ulong number = 0; number < height; number++)
        {
            Assert.NotNull(store.Block("mychannel", number));
        }
    }

    [Fact]
    public async Task A_peer_stops_on_SIGTERM_with_exit_0_and_its_ledger_closed()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var (port, opsPort) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var peer = StartPeer(port, opsPort, new Dictionary<string, string>());
        await AwaitHealthy(peer, opsPort);
        Assert.True(File.Exists(Path.Combine(_root, "data", "mychannel.sqlite")), "the channel's ledger should be open");

        peer.Terminate();

        Assert.True(peer.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the peer should have stopped on SIGTERM");
        Assert.Equal(0, peer.Process.ExitCode);
        Assert.Contains("peer peer0.org1 stopped", peer.Stdout);
        Assert.False(File.Exists(Path.Combine(_root, "data", "mychannel.sqlite-wal")), "a closed ledger leaves no write-ahead log");
        using var ledger = SqliteBlockLedger.Open(Path.Combine(_root, "data"), "mychannel");
        Assert.Null(ledger.CheckChain());
    }

    [Fact]
    public void An_orderer_told_to_watch_its_stdin_stops_gracefully_when_its_launcher_closes_the_pipe()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var orderer = StartOrderer(LoopbackPorts.Next(), new Dictionary<string, string> { ["GOSSIP_STOP_ON_STDIN_EOF"] = "1" });
        AwaitListening(orderer);
        Assert.False(orderer.Process.HasExited, "the orderer exited early: " + orderer.Stderr);

        orderer.Process.StandardInput.Close();

        Assert.True(orderer.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the orderer should have stopped when its stdin closed");
        Assert.Equal(0, orderer.Process.ExitCode);
        Assert.Contains("orderer orderer0.ordererorg stopped", orderer.Stdout);
    }
}
