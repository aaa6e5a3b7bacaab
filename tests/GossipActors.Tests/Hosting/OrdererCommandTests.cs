using System.CommandLine;
using GossipActors.Crypto;
using GossipActors.Node;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Hosting;

/// <summary>The orderer command's start-up checks: its own directory, its TLS material, and a warning when TLS is off.</summary>
public sealed class OrdererCommandTests : IDisposable
{
    private readonly CommandConsole _console = new("gossip-orderercmd-");

    public OrdererCommandTests() =>
        CryptoMaterialGenerator.Generate(Crypto, ["Org1", "Org2"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));

    private string Crypto => Path.Combine(_console.Root, "crypto");
    private string OrdererDir => Path.Combine(Crypto, "OrdererOrg", "orderer0.ordererorg");

    public void Dispose() => _console.Dispose();

    /// <summary>Runs `orderer --config FILE --check` on a configuration of port 0 with <paramref name="general"/> in orderer.General.</summary>
    private int Check(string general)
    {
        var file = Path.Combine(_console.Root, "orderer.conf");
        File.WriteAllText(file, $$"""
            orderer {
              General {
                ListenPort = 0
                LocalMSPDir = "{{OrdererDir}}"
                {{general}}
              }
              FileLedger.Location = "{{Path.Combine(_console.Root, "data")}}"
              Channels = [{ orgs = ["Org1", "Org2"], name = "mychannel" }]
            }
            """);
        var root = new RootCommand { OrdererCommand.Create() };
        return _console.Run(root, ["orderer", "--config", file, "--check"]);
    }

    [Fact]
    public void The_orderers_own_directory_from_cryptogen_passes_the_check_with_tls_on_by_default()
    {
        var code = Check("");

        Assert.Equal(OrdererCommand.Ok, code);
        Assert.Contains("TLS on", _console.Out.ToString());
        Assert.DoesNotContain("warning", _console.Error.ToString());
    }

    [Fact]
    public void Tls_off_passes_with_a_warning_naming_the_key()
    {
        var code = Check("TLS.Enabled = false");

        Assert.Equal(OrdererCommand.Ok, code);
        Assert.Contains("TLS off", _console.Out.ToString());
        Assert.Contains("warning: orderer.General.TLS.Enabled = false", _console.Error.ToString());
    }

    [Fact]
    public void Every_peer_org_and_the_orderer_org_tls_ca_is_in_the_orderers_directory_and_the_orderer_org_ca_in_each_peers()
    {
        Assert.Equal(["OrdererOrg.pem", "Org1.pem", "Org2.pem"],
            NodeDirectory.Open(OrdererDir).TlsCaCertificatePaths().Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains(Path.Combine(Crypto, "Org1", "peer0.org1", "tlscacerts", "OrdererOrg.pem"),
            NodeDirectory.Open(Path.Combine(Crypto, "Org1", "peer0.org1")).TlsCaCertificatePaths());
    }

    [Fact]
    public void A_missing_tls_key_exits_3_naming_the_key_and_the_file()
    {
        File.Delete(Path.Combine(OrdererDir, "tls", "server.key"));

        var code = Check("");

        Assert.Equal(OrdererCommand.BadCryptoMaterial, code);
        Assert.Contains("orderer.General.TLS.Certificate", _console.Error.ToString());
        Assert.Contains("server.key", _console.Error.ToString());
    }

    [Fact]
    public void A_root_ca_file_that_does_not_exist_exits_3_naming_the_key_and_the_file()
    {
        var code = Check($"TLS.RootCAs = [\"{Path.Combine(_console.Root, "nowhere.pem")}\"]");

        Assert.Equal(OrdererCommand.BadCryptoMaterial, code);
        Assert.Contains("orderer.General.TLS.RootCAs", _console.Error.ToString());
        Assert.Contains("nowhere.pem", _console.Error.ToString());
    }

    [Fact]
    public void Pointing_local_msp_dir_at_the_root_of_cryptogens_output_exits_3_naming_the_key()
    {
        var code = Check($"LocalMSPDir = \"{Crypto}\"");

        Assert.Equal(OrdererCommand.BadCryptoMaterial, code);
        Assert.Contains("orderer.General.LocalMSPDir", _console.Error.ToString());
    }
}
