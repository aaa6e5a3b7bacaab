using GossipActors.Boundary;
using GossipActors.Node.Network;
using GossipActors.Operations;
using Xunit;
using Xunit.Abstractions;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 11, acceptance 2: a network from `gossip-node network init` (2 orgs × 2 peers, dynamic election, mutual TLS
/// everywhere, and the orderer), every node its own process started by <see cref="NodeLauncher"/>, observed only through the peers'
/// /status and the processes' exit codes and logs. Bounded in time: every wait has a deadline (dilated by
/// akka.test.timefactor = 2: 10 minutes in all at worst) and the whole test is cut at 11 minutes (xunit Timeout); about
/// a minute on a quiet 2-core machine. Every child is stopped, or killed, in Dispose whatever happened.
/// </summary>
public sealed class NetworkProcessesSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string ChannelName = "ch1";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-net-" + Guid.NewGuid().ToString("N"));
    private readonly StatusPoller _poller = new(TimeSpan.FromSeconds(5));
    private readonly ITestOutputHelper _output;
    private NodeLauncher? _launcher;

    public NetworkProcessesSpec(ITestOutputHelper output) : base("akka.test.timefactor = 2", output: output) => _output = output;

    protected override void Dispose(bool disposing)
    {
        if (_launcher is not null)
        {
            var children = _launcher.Children;
            if (!_launcher.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(60)))
            {
                foreach (var child in children.Where(c => !c.HasExited))
                {
                    _launcher.Kill(child).Wait(TimeSpan.FromSeconds(10));
                }
            }
            PrintLogs();
        }
        _poller.Dispose();
        base.Dispose(disposing);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void PrintLogs()
    {
        var logs = Path.Combine(_root, "logs");
        foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs).Order().ToArray() : [])
        {
            var lines = File.ReadAllLines(file);
            _output.WriteLine($"---- {Path.GetFileName(file)} (last {Math.Min(lines.Length, 40)} of {lines.Length} lines)");
            foreach (var line in lines.TakeLast(40))
            {
                _output.WriteLine(line);
            }
        }
    }

    private static ChannelSummary Channel(PeerStatus status) => status.Channels.Single(c => c.Name == ChannelName);

    /// <summary>Every given peer's status; fails (for AwaitAssert to retry) while one does not answer.</summary>
    private async Task<IReadOnlyDictionary<NetworkNode, PeerStatus>> Statuses(IEnumerable<NetworkNode> peers)
    {
        var polled = await Task.WhenAll(peers.Select(async p => (Peer: p, Status: await _poller.TryGetAsync(p.Operations!))));
        Assert.All(polled, p => Assert.True(p.Status is not null, $"{p.Peer.Name} did not answer /status"));
        return polled.ToDictionary(p => p.Peer, p => p.Status!);
    }

    /// <summary>`gossip-node submit` as a child process: all <paramref name="count"/> transactions must be accepted.</summary>
    private async Task Submit(NetworkManifest network, int count)
    {
        // Mutual TLS with the orderer, as a client of Org1 (peer0's TLS certificate).
        var client = NetworkPlanner.NodeCryptoDirectory(network.Directory, network.Peers.First());
        var submit = _launcher!.Start("submit", ["submit", "--orderer", network.Orderer.Endpoint, "--channel", ChannelName,
            "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--msp", client]);
        var code = await submit.Exited.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
        Assert.True(code == 0, $"gossip-node submit exited {code}: {await File.ReadAllTextAsync(submit.ErrorLog)}");
    }

    /// <summary>Waits until every given peer reports the same height (at least <paramref name="atLeast"/>) and last hash.</summary>
    private async Task<ulong> AwaitSameHeightAndHash(IReadOnlyList<NetworkNode> peers, ulong atLeast)
    {
        ulong height = 0;
        await AwaitAssertAsync(async () =>
        {
            var channels = (await Statuses(peers)).ToDictionary(s => s.Key.Name, s => Channel(s.Value));
            var summary = string.Join(", ", channels.Select(c => $"{c.Key}: {c.Value.Height} {c.Value.LastBlockHash[..Math.Min(8, c.Value.LastBlockHash.Length)]}"));
            Assert.True(channels.Values.All(c => c.Height >= atLeast), $"heights below {atLeast}: {summary}");
            Assert.True(channels.Values.Select(c => (c.Height, c.LastBlockHash)).Distinct().Count() == 1, $"heights or hashes differ: {summary}");
            height = channels.Values.First().Height;
        }, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(500));
        return height;
    }

    /// <summary>Waits until exactly one of the org's given peers reports it leads, and returns it.</summary>
    private async Task<NetworkNode> AwaitLeader(IReadOnlyList<NetworkNode> orgPeers, TimeSpan within)
    {
        NetworkNode? leader = null;
        await AwaitAssertAsync(async () =>
        {
            var statuses = await Statuses(orgPeers);
            var leaders = statuses.Where(s => Channel(s.Value).IsLeader).Select(s => s.Key).ToList();
            Assert.True(leaders.Count == 1, $"{orgPeers[0].Org} leaders: [{string.Join(", ", leaders.Select(l => l.Name))}]");
            leader = leaders[0];
        }, within, TimeSpan.FromMilliseconds(500));
        return leader!;
    }

    [Fact(Timeout = 660_000)]
    public async Task A_generated_network_moves_blocks_to_every_peer_survives_the_loss_of_a_leader_and_refuses_both_election_flags()
    {
        var network = NetworkInitializer.Initialize(_root, new NetworkOptions(Orgs: 2, PeersPerOrg: 2, Channel: ChannelName, Tls: true),
            DateTimeOffset.UtcNow, FreeLoopbackPorts.Take);
        _launcher = new NodeLauncher(network.LogDirectory, stopTimeout: TimeSpan.FromSeconds(10));
        var orderer = _launcher.Start(network.Orderer);
        await AwaitAssertAsync(() =>
        {
            Assert.False(orderer.HasExited, "the orderer exited");
            Assert.Contains("listening at", File.ReadAllText(orderer.OutputLog));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        var peers = network.Peers.ToList();
        var processes = peers.ToDictionary(p => p, p => _launcher.Start(p));
        var org1 = peers.Where(p => p.Org == "Org1").ToList();
        var org2 = peers.Where(p => p.Org == "Org2").ToList();
        // Fabric's election timers (network init keeps them): up to 15 s of start-up grace, 5 s of election, 10 s
        // without declarations before a new election after the leader is lost; generous on a loaded machine.
        var leader1 = await AwaitLeader(org1, TimeSpan.FromSeconds(90));
        await AwaitLeader(org2, TimeSpan.FromSeconds(30));

        await Submit(network, 50);

        // 50 transactions in blocks of at most 10: at least 5 blocks on every peer, the same chain everywhere.
        var height = await AwaitSameHeightAndHash(peers, 5);

        await _launcher.Kill(processes[leader1]);

        var survivors = peers.Where(p => p != leader1).ToList();
        var leader1After = await AwaitLeader(org1.Where(p => p != leader1).ToList(), TimeSpan.FromSeconds(60));
        Assert.NotEqual(leader1, leader1After);
        await Submit(network, 30);
        await AwaitSameHeightAndHash(survivors, height + 3);

        // Both election flags from Fabric's variables: a configuration error, reported at start, exit code 2.
        var both = _launcher.Start("both-flags", leader1.Arguments, new Dictionary<string, string>
        {
            ["CORE_PEER_GOSSIP_USELEADERELECTION"] = "true",
            ["CORE_PEER_GOSSIP_ORGLEADER"] = "true",
        });
        Assert.Equal(2, await both.Exited.WaitAsync(Dilated(TimeSpan.FromSeconds(30))));
        var stderr = await File.ReadAllTextAsync(both.ErrorLog);
        Assert.Contains("CORE_PEER_GOSSIP_USELEADERELECTION", stderr);
        Assert.Contains("CORE_PEER_GOSSIP_ORGLEADER", stderr);
    }
}
