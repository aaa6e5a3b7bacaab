using System.Diagnostics;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Configuration;
using GossipActors.Channels;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Ledger;
using GossipActors.Node;
using GossipActors.Operations;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>
/// Acceptance 3 of the ordering issue: a real <c>gossip-node peer</c> process, fed blocks by gossip from a peer in
/// this test (blocks signed with the orderer's identity and injected there, as a leader's delivery would), is killed
/// with SIGKILL while its height is climbing. Its SQLite ledger is then checked on disk (hash chain, no gap, at or past
/// the last height it reported), more blocks are cut while it is down, and the restarted process catches up to the
/// same height and last hash. Bounded: every wait has a deadline (about 3 minutes in all on a loaded machine); the
/// child process is killed in Dispose even when the test fails.
/// </summary>
public sealed class PeerCrashCatchUpSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "mychannel";
    private const int BlockBytes = 16 * 1024;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-crash-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private PeerNode? _source;

    public PeerCrashCatchUpSpec() : base("akka.test.timefactor = 2") { }

    protected override void Dispose(bool disposing)
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        _source?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
        _http.Dispose();
        base.Dispose(disposing);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_peer_process_killed_with_SIGKILL_while_committing_restarts_with_an_intact_chain_and_catches_up()
    {
        var crypto = Path.Combine(_root, "crypto");
        CryptoMaterialGenerator.Generate(crypto, ["Org1"], 2, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        using var orderer = CryptoDirectory.Open(crypto).LoadNode("OrdererOrg", "orderer0.ordererorg");
        var (sourcePort, victimPort, victimOps) = (LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next());
        _source = StartSource(crypto, sourcePort, victimPort);
        var victimLedger = Path.Combine(_root, "victim-data");
        var victimConfig = WriteVictimConfig(crypto, victimPort, victimOps, sourcePort, victimLedger);
        var victim = StartPeerProcess(victimConfig);
        await AwaitAssertAsync(async () => Assert.Single(Assert.Single((await Status(victimOps)).Channels).Peers),
            Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

        // Blocks flow until the victim is seen committing (its height rising between two looks), then it is killed.
        var chain = new Chain(orderer);
        ulong reported = 0;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            for (var i = 0; i < 10; i++)
            {
                await Inject(chain.Next());
            }
            var before = reported;
            reported = Assert.Single((await Status(victimOps)).Channels).Height;
            if (before > 0 && reported > before)
            {
                victim.Kill(); // SIGKILL: no shutdown, mid-commit
                victim.WaitForExit(10_000);
                break;
            }
            Assert.True(deadline.Elapsed < Dilated(TimeSpan.FromSeconds(90)), $"the victim did not commit (height {reported} after {chain.Height} blocks)");
        }

        using (var ledger = SqliteBlockLedger.Open(victimLedger, Channel))
        {
            Assert.Null(ledger.CheckChain());
            Assert.True(ledger.Height >= reported, $"the ledger reopened at {ledger.Height}, but the process had reported {reported}");
        }

        // 100 more blocks while it is down; the restarted process fetches what it missed and ends on the same chain.
        for (var i = 0; i < 100; i++)
        {
            await Inject(chain.Next());
        }
        StartPeerProcess(victimConfig);
        await AwaitAssertAsync(async () =>
        {
            var channel = Assert.Single((await Status(victimOps)).Channels);
            Assert.Equal((chain.Height, Convert.ToHexString(chain.LastHash.Span).ToLowerInvariant()), (channel.Height, channel.LastBlockHash.ToLowerInvariant()));
        }, Dilated(TimeSpan.FromSeconds(90)), TimeSpan.FromMilliseconds(500));
        using var reopened = SqliteBlockLedger.Open(Path.Combine(_root, "source-data"), Channel);
        Assert.Equal(chain.Height, reopened.Height);
    }

    private sealed class Chain(NodeIdentity orderer)
    {
        private readonly Random _random = new(7);

        public ulong Height { get; private set; }
        public ByteString LastHash { get; private set; } = ByteString.Empty;

        public Block Next()
        {
            var payload = new byte[BlockBytes];
            _random.NextBytes(payload);
            var block = BlockFactory.Create(Channel, Height, LastHash, [UnsafeByteOperations.UnsafeWrap(payload)], orderer);
            LastHash = BlockHashes.HeaderHash(block);
            Height++;
            return block;
        }
    }

    private async Task Inject(Block block)
    {
        var result = await _source!.Peer.Ask<InjectBlockResult>(new InjectBlock(Channel, block), Dilated(TimeSpan.FromSeconds(10)));
        Assert.True(result.Accepted, result.Detail);
    }

    private async Task<PeerStatus> Status(int opsPort) =>
        (await _http.GetFromJsonAsync<PeerStatus>($"http://127.0.0.1:{opsPort}/status"))!;

    private PeerNode StartSource(string crypto, int port, int victimPort)
    {
        var node = CryptoDirectory.Open(crypto).Node("Org1", "peer0.org1");
        var identity = node.LoadIdentity("Org1", "peer0.org1");
        var config = PeerConfig.Load(ConfigurationFactory.ParseString(PeerHocon("peer0.org1", port, victimPort, node.Path, Path.Combine(_root, "source-data"), opsPort: 0)),
            new Dictionary<string, string>());
        return PeerNode.Start(PeerSettings.FromConfig(config), config, identity, new CertificateVerifier(node.TrustedCas()), TimeProvider.System, tls: null);
    }

    private string WriteVictimConfig(string crypto, int port, int opsPort, int sourcePort, string ledger)
    {
        var path = Path.Combine(_root, "victim.conf");
        File.WriteAllText(path, PeerHocon("peer1.org1", port, sourcePort, Path.Combine(crypto, "Org1", "peer1.org1"), ledger, opsPort));
        return path;
    }

    private static string PeerHocon(string id, int port, int bootstrapPort, string msp, string ledger, int opsPort) => $$"""
        peer {
          id = "{{id}}"
          localMspId = "Org1"
          address = "127.0.0.1:{{port}}"
          mspConfigPath = "{{msp}}"
          fileSystemPath = "{{ledger}}"
          tls.enabled = false
          gossip {
            bootstrap = ["127.0.0.1:{{bootstrapPort}}"]
            aliveTimeInterval = 300ms
            aliveExpirationTimeout = 3s
            reconnectInterval = 1s
            membership.antiEntropyInterval = 1s
            publishStateInfoInterval = 500ms
            state.checkInterval = 2s
          }
          operations.listenAddress = "{{(opsPort == 0 ? "" : $"127.0.0.1:{opsPort}")}}"
          channels = [ { name = "{{Channel}}", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
        }
        akka.loglevel = WARNING
        """;

    private Process StartPeerProcess(string config)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, "peer", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed child would leave its diagnostics IPC files in the temporary folder
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }
}
