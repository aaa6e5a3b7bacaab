using System.CommandLine;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Node;
using GossipActors.Tests.Configuration;
using Xunit;

namespace GossipActors.Tests.Hosting;

/// <summary>The peer command's start-up checks: bad configuration and missing crypto material end the process clearly.</summary>
public sealed class PeerCommandTests : IDisposable
{
    private readonly string _crypto = Path.Combine(Path.GetTempPath(), "gossip-peercmd-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private static string PeerConf => Path.Combine(HoconSamplesTests.HoconDirectory(), "peer.conf");

    public void Dispose()
    {
        if (Directory.Exists(_crypto))
        {
            Directory.Delete(_crypto, recursive: true);
        }
    }

    private int Run(Dictionary<string, string> environment, params string[] args)
    {
        var root = new RootCommand { PeerCommand.Create(() => environment) };
        return root.Parse(["peer", .. args]).Invoke(new InvocationConfiguration { Output = _out, Error = _err });
    }

    [Fact]
    public void Both_election_flags_true_from_the_environment_exit_non_zero_naming_both_keys()
    {
        var code = Run(new() { ["CORE_PEER_GOSSIP_ORGLEADER"] = "true", ["CORE_PEER_GOSSIP_USELEADERELECTION"] = "true" },
            "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.InvalidConfiguration, code);
        Assert.Contains("peer.gossip.useLeaderElection", _err.ToString());
        Assert.Contains("peer.gossip.orgLeader", _err.ToString());
    }

    [Fact]
    public void A_malformed_duration_exits_non_zero_naming_key_value_and_what_is_allowed()
    {
        var code = Run(new() { ["CORE_PEER_GOSSIP_ALIVETIMEINTERVAL"] = "soon" }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.InvalidConfiguration, code);
        var error = _err.ToString();
        Assert.Contains("peer.gossip.aliveTimeInterval", error);
        Assert.Contains("soon", error);
        Assert.Contains("positive duration", error);
    }

    [Fact]
    public void Missing_crypto_material_exits_non_zero_naming_the_directory()
    {
        var code = Run(new() { ["CORE_PEER_MSPCONFIGPATH"] = _crypto }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.BadCryptoMaterial, code);
        Assert.Contains(_crypto, _err.ToString());
    }

    [Fact]
    public void Valid_configuration_with_generated_crypto_material_passes_the_check()
    {
        CryptoMaterialGenerator.Generate(_crypto, ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));

        var code = Run(new() { ["CORE_PEER_MSPCONFIGPATH"] = _crypto }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.Ok, code);
        using var identity = CryptoDirectory.Open(_crypto).LoadNode("Org1", "peer0.org1");
        Assert.Contains(identity.PkiId.ToHex(), _out.ToString());
    }

    [Fact]
    public void Check_lists_keys_without_effect_and_warns_about_variables_that_name_no_key()
    {
        CryptoMaterialGenerator.Generate(_crypto, ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));

        var code = Run(new()
        {
            ["CORE_PEER_MSPCONFIGPATH"] = _crypto,
            ["CORE_PEER_GOSSIP_ALIVETIMEINTERVALL"] = "1s",
            ["CORE_PEER_GOSSIP_STATE_BATCHSIZE"] = "50",
        }, "--config", PeerConf, "--check");

        Assert.Equal(PeerCommand.Ok, code);
        var output = _out.ToString();
        Assert.Contains("warning: environment variable CORE_PEER_GOSSIP_ALIVETIMEINTERVALL names no setting and is ignored "
            + "(did you mean CORE_PEER_GOSSIP_ALIVETIMEINTERVAL?)", output);
        Assert.Contains("warning: peer.gossip.state.batchSize = 50 is accepted but has no effect yet", output);
        Assert.Contains("note: accepted without effect yet: ", output);
        Assert.All(KeysWithoutEffect.All, key => Assert.Contains(key.Key, output));
    }
}
