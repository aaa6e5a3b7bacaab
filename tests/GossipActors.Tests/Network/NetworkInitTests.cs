using System.CommandLine;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Node;
using GossipActors.Node.Network;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Network;

/// <summary>`gossip-node network init`: the files it writes start every node, on distinct ports, wired together.</summary>
public sealed class NetworkInitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly CommandConsole _console = new("gossip-netinit-");

    public void Dispose() => _console.Dispose();

    private int Run(params string[] args)
    {
        var root = new RootCommand
        {
            new Command("network") { NetworkInitCommand.Create(new ManualTimeProvider(Now), FreeLoopbackPorts.Take) },
        };
        return _console.Run(root, ["network", "init", .. args]);
    }

    private static int Check(NetworkNode node, StringWriter output, StringWriter error)
    {
        var root = new RootCommand { PeerCommand.Create(() => new Dictionary<string, string>()), OrdererCommand.Create() };
        return root.Parse([.. node.Arguments, "--check"]).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static PeerSettings Settings(NetworkNode peer) => PeerSettings.FromConfig(PeerConfig.LoadFile(peer.Config, new Dictionary<string, string>()));

    [Theory]
    [InlineData("dynamic", "on")]
    [InlineData("static", "off")]
    public void Every_generated_node_configuration_passes_the_start_up_checks_of_its_command(string election, string tls)
    {
        Assert.Equal(NetworkInitCommand.Ok, Run("--dir", _console.Root, "--orgs", "2", "--peers-per-org", "2", "--election", election, "--tls", tls));

        var network = NetworkManifest.Read(NetworkManifest.PathIn(_console.Root));
        Assert.Equal(5, network.Nodes.Count);
        foreach (var node in network.Nodes)
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            Assert.True(Check(node, output, error) == 0, $"{node.Name}: {error}");
            Assert.Contains("configuration valid", output.ToString());
        }
        Assert.All(network.Peers, p => Assert.Equal(tls == "on", Settings(p).Tls.Enabled));
    }

    [Fact]
    public void Every_node_gets_its_own_ports_and_the_manifest_lists_them()
    {
        Assert.Equal(NetworkInitCommand.Ok, Run("--dir", _console.Root, "--orgs", "3", "--peers-per-org", "3"));

        var network = NetworkManifest.Read(NetworkManifest.PathIn(_console.Root));
        Assert.Equal(10, network.Nodes.Count);
        var ports = network.Nodes.SelectMany(n => new[] { n.Endpoint, n.OrgClusterEndpoint, n.Operations is null ? null : new Uri(n.Operations).Authority })
            .OfType<string>().ToList();
        Assert.Equal(2 + 9 * 3, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
        Assert.All(network.Nodes, n => Assert.True(File.Exists(n.Config), n.Config));
        Assert.Contains("peer2.org3", _console.Out.ToString());
    }

    [Fact]
    public void Peers_bootstrap_from_their_org_list_the_other_orgs_anchor_peers_and_pull_from_the_orderer()
    {
        var network = NetworkInitializer.Initialize(_console.Root, new NetworkOptions(Orgs: 2, PeersPerOrg: 3, Channel: "ch7"), Now, FreeLoopbackPorts.Take);

        var peer1 = network.Peers.Single(p => p.Name == "peer1.org1");
        var settings = Settings(peer1);
        var org1 = network.Peers.Where(p => p.Org == "Org1").ToList();
        Assert.Equal(org1.Where(p => p != peer1).Select(p => p.Endpoint), settings.Gossip.Bootstrap);
        Assert.Equal([network.Peers.Single(p => p.Name == "peer0.org2").Endpoint], settings.Gossip.AnchorPeers);
        Assert.Equal(peer1.Endpoint, settings.Gossip.ExternalEndpoint);
        Assert.Equal(org1.Select(p => p.OrgClusterEndpoint!), settings.OrgCluster.Bootstrap);
        Assert.Equal(new Uri(peer1.Operations!).Authority, settings.Operations.ListenAddress);
        var channel = Assert.Single(settings.Channels);
        Assert.Equal(("ch7", "OrdererOrg"), (channel.Name, channel.OrdererOrg));
        Assert.Equal(["Org1", "Org2"], channel.Orgs);
        Assert.Equal([network.Orderer.Endpoint], channel.Orderers);
        Assert.True(settings.Election.UseLeaderElection);
        Assert.False(settings.Election.OrgLeader);
        // Fabric's election timers: shorter ones elected several leaders per org on a loaded machine.
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)),
            (settings.Election.StartupGracePeriod, settings.Election.LeaderAliveThreshold, settings.Election.LeaderElectionDuration));
        var orderer = OrdererSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString(File.ReadAllText(network.Orderer.Config)));
        Assert.Equal(["Org1", "Org2"], orderer.Channels["ch7"]);
        Assert.Equal(network.Orderer.Endpoint, orderer.Endpoint);
    }

    [Fact]
    public void With_static_election_peer0_of_each_org_is_its_leader_and_the_others_stand_by()
    {
        var network = NetworkInitializer.Initialize(_console.Root, new NetworkOptions(Orgs: 2, PeersPerOrg: 2, Election: ElectionMode.Static), Now, FreeLoopbackPorts.Take);

        foreach (var peer in network.Peers)
        {
            var election = Settings(peer).Election;
            Assert.False(election.UseLeaderElection);
            Assert.Equal(peer.Name.StartsWith("peer0.", StringComparison.Ordinal), election.OrgLeader);
            Assert.Equal(election.OrgLeader, peer.StaticLeader);
        }
    }

    [Fact]
    public void Init_on_a_directory_that_holds_a_network_exits_3_and_keeps_its_files()
    {
        Assert.Equal(NetworkInitCommand.Ok, Run("--dir", _console.Root, "--peers-per-org", "1"));
        var manifest = File.ReadAllText(NetworkManifest.PathIn(_console.Root));

        var code = Run("--dir", _console.Root, "--peers-per-org", "1");

        Assert.Equal(NetworkInitCommand.AlreadyExists, code);
        Assert.Contains("network.json", _console.Error.ToString());
        Assert.Equal(manifest, File.ReadAllText(NetworkManifest.PathIn(_console.Root)));
    }

    [Theory]
    [InlineData("--orgs", "0")]
    [InlineData("--peers-per-org", "0")]
    [InlineData("--channel", "My_Channel")]
    public void Init_with_a_bad_option_exits_2_naming_it_and_writes_nothing(string option, string value)
    {
        var code = Run("--dir", _console.Root, option, value);

        Assert.Equal(NetworkInitCommand.BadArguments, code);
        Assert.Contains(option, _console.Error.ToString());
        Assert.Contains(value, _console.Error.ToString());
        Assert.False(Directory.Exists(_console.Root));
    }

    [Fact]
    public void The_planner_refuses_too_few_or_repeated_ports()
    {
        var options = new NetworkOptions(Orgs: 1, PeersPerOrg: 1);
        Assert.Equal(5, NetworkPlanner.PortsNeeded(options));

        Assert.Throws<ArgumentException>(() => NetworkPlanner.Plan(_console.Root, options, [7050, 8443, 7051, 7052]));
        Assert.Throws<ArgumentException>(() => NetworkPlanner.Plan(_console.Root, options, [7050, 8443, 7051, 7052, 7051]));
        var network = NetworkPlanner.Plan(_console.Root, options, [7050, 8443, 7051, 7053, 9443]);
        Assert.Equal(("127.0.0.1:7050", "http://127.0.0.1:8443", "127.0.0.1:7051", "127.0.0.1:7053", "http://127.0.0.1:9443"),
            (network.Orderer.Endpoint, network.Orderer.Operations, network.Peers.Single().Endpoint, network.Peers.Single().OrgClusterEndpoint, network.Peers.Single().Operations));
    }
}
