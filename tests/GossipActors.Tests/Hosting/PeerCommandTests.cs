using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Node;
using GossipActors.Tests.Support;
using GossipActors.Tests.Configuration;
using Xunit;

namespace GossipActors.Tests.Hosting;

/// <summary>The peer command's start-up checks: bad configuration and missing crypto material end the process clearly.</summary>
public sealed class PeerCommandTests : IDisposable
{
    private readonly CommandConsole _console = new("gossip-peercmd-");
    private static string PeerConf => Path.Combine(HoconSamplesTests.HoconDirectory(), "peer.conf");

    public void Dispose() => _console.Dispose();

    private int Run(Dictionary<string, string> environment, params string[] args)
    {
        var root = new RootCommand { PeerCommand.Create(() => environment) };
        return _console.Run(root, ["peer", .. args]);
    }

    [Fact]
    public void Both_election_flags_true_from_the_environment_exit_non_zero_naming_both_keys()
    {
        var code = Run(new() { ["CORE_PEER_GOSSIP_ORGLEADER"] = "true", ["CORE_PEER_GOSSIP_USELEADERELECTION"] = "true" },
            "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.InvalidConfiguration, code);
        Assert.Contains("peer.gossip.useLeaderElection", _console.Error.ToString());
        Assert.Contains("peer.gossip.orgLeader", _console.Error.ToString());
        Assert.Contains("CORE_PEER_GOSSIP_USELEADERELECTION", _console.Error.ToString());
        Assert.Contains("CORE_PEER_GOSSIP_ORGLEADER", _console.Error.ToString());
        Assert.Equal(2, code);
    }

    [Fact]
    public void A_malformed_duration_exits_non_zero_naming_key_value_and_what_is_allowed()
    {
        var code = Run(new() { ["CORE_PEER_GOSSIP_ALIVETIMEINTERVAL"] = "soon" }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.InvalidConfiguration, code);
        var error = _console.Error.ToString();
        Assert.Contains("peer.gossip.aliveTimeInterval", error);
        Assert.Contains("soon", error);
        Assert.Contains("positive duration", error);
    }

    [Fact]
    public void Missing_crypto_material_exits_non_zero_naming_the_directory()
    {
        var code = Run(new() { ["CORE_PEER_MSPCONFIGPATH"] = _console.Root }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.BadCryptoMaterial, code);
        Assert.Contains(_console.Root, _console.Error.ToString());
    }

    /// <summary>The sample peer.conf on free ports, with this test's crypto material.</summary>
    private Dictionary<string, string> Environment(params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["CORE_PEER_MSPCONFIGPATH"] = Path.Combine(_console.Root, "Org1", "peer0.org1"),
            ["CORE_PEER_ADDRESS"] = "127.0.0.1:" + FreeLoopbackPorts.Next(),
            ["CORE_PEER_GOSSIP_ORGCLUSTER_ADDRESS"] = "127.0.0.1:" + FreeLoopbackPorts.Next(),
            ["CORE_OPERATIONS_LISTENADDRESS"] = "127.0.0.1:0",
        };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }
        return environment;
    }

    private void Generate() =>
        CryptoMaterialGenerator.Generate(_console.Root, ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));

    [Fact]
    public void Valid_configuration_with_generated_crypto_material_passes_the_check()
    {
        Generate();

        var code = Run(Environment(), "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.Ok, code);
        using var identity = CryptoDirectory.Open(_console.Root).LoadNode("Org1", "peer0.org1");
        Assert.Contains(identity.PkiId.ToHex(), _console.Out.ToString());
        Assert.Contains("TLS on", _console.Out.ToString());
    }

    [Theory]
    [InlineData("CORE_PEER_ADDRESS", "peer.address")]
    [InlineData("CORE_PEER_GOSSIP_ORGCLUSTER_ADDRESS", "peer.gossip.orgCluster.address")]
    [InlineData("CORE_OPERATIONS_LISTENADDRESS", "operations.listenAddress")]
    public void A_port_already_bound_by_another_process_exits_2_naming_the_key_and_the_port_without_a_stack_trace(string variable, string key)
    {
        Generate();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var endpoint = "127.0.0.1:" + ((IPEndPoint)squatter.LocalEndpoint).Port;

        var code = Run(Environment((variable, endpoint)), "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.InvalidConfiguration, code);
        var error = _console.Error.ToString();
        Assert.Contains(key, error);
        Assert.Contains(endpoint, error);
        Assert.Contains("already in use", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Missing_TLS_material_exits_3_naming_the_key_and_the_file()
    {
        Generate();
        File.Delete(Path.Combine(_console.Root, "Org1", "peer0.org1", "tls", "server.key"));

        var code = Run(Environment(), "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.BadCryptoMaterial, code);
        Assert.Contains("peer.tls.cert.file", _console.Error.ToString());
        Assert.Contains("server.key", _console.Error.ToString());
    }

    [Fact]
    public void TLS_turned_off_passes_the_check_with_a_warning()
    {
        Generate();

        var code = Run(Environment(("CORE_PEER_TLS_ENABLED", "false")), "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.Ok, code);
        Assert.Contains("peer.tls.enabled = false", _console.Error.ToString());
        Assert.Contains("TLS off", _console.Out.ToString());
    }

    [Fact]
    public void Check_lists_keys_without_effect_and_warns_about_variables_that_name_no_key()
    {
        CryptoMaterialGenerator.Generate(_console.Root, ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));

        var code = Run(Environment(("CORE_PEER_GOSSIP_ALIVETIMEINTERVALL", "1s"), ("CORE_PEER_GOSSIP_SKIPBLOCKVERIFICATION", "true")),
            "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.Ok, code);
        var output = _console.Out.ToString();
        Assert.Contains("warning: environment variable CORE_PEER_GOSSIP_ALIVETIMEINTERVALL names no setting and is ignored "
            + "(did you mean CORE_PEER_GOSSIP_ALIVETIMEINTERVAL?)", output);
        Assert.Contains("warning: peer.gossip.skipBlockVerification = true is accepted but has no effect yet", output);
        Assert.Contains("note: accepted without effect yet: ", output);
        Assert.All(KeysWithoutEffect.All, key => Assert.Contains(key.Key, output));
    }
}
