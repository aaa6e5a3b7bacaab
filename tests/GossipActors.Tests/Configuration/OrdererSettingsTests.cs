using Akka.Configuration;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

/// <summary>The orderer's settings: the sample loads, Fabric's names act, and bad values are named with what is allowed.</summary>
public sealed class OrdererSettingsTests
{
    private const string Channels = """orderer.Channels = [{ orgs = ["Org1"], name = "mychannel" }]""";

    private static OrdererSettings Load(string hocon) => OrdererSettings.FromConfig(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_orderer_sample_loads_with_Fabric_names()
    {
        var settings = OrdererSettings.FromConfig(ConfigurationFactory.ParseString(
            File.ReadAllText(Path.Combine(HoconSamplesTests.HoconDirectory(), "orderer.conf"))));

        Assert.Equal("127.0.0.1:7050", settings.Endpoint);
        Assert.Equal(10, settings.MaxMessageCount);
        Assert.Equal(1024 * 1024, settings.AbsoluteMaxBytes);
        Assert.Equal(512 * 1024, settings.PreferredMaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.BatchTimeout);
        Assert.Equal(["Org1", "Org2"], settings.Channels["mychannel"]);
        Assert.True(settings.Tls.Enabled);
        Assert.True(settings.Tls.ClientAuthRequired);
        Assert.Equal("crypto/OrdererOrg/orderer0.ordererorg", settings.LocalMspDir);
        Assert.Equal(["crypto/OrdererOrg/orderer0.ordererorg/tlscacerts/Org1.pem", "crypto/OrdererOrg/orderer0.ordererorg/tlscacerts/Org2.pem"],
            settings.Tls.RootCAs);
    }

    [Fact]
    public void Tls_is_on_by_default_with_the_files_cryptogen_writes_in_the_orderers_own_directory()
    {
        var settings = Load(Channels + "\norderer.General.LocalMSPDir = \"/x/OrdererOrg/orderer0.ordererorg\"");

        Assert.True(settings.Tls.Enabled);
        Assert.Equal(Path.Combine("/x/OrdererOrg/orderer0.ordererorg", "tls", "server.crt"), settings.Tls.Certificate);
        Assert.Equal(Path.Combine("/x/OrdererOrg/orderer0.ordererorg", "tls", "server.key"), settings.Tls.PrivateKey);
        Assert.Empty(settings.Tls.RootCAs); // = every *.pem in tlscacerts/
    }

    [Fact]
    public void Tls_without_client_authentication_is_refused_naming_the_key_and_what_is_allowed()
    {
        var error = Assert.Throws<SettingsException>(() => Load(Channels + "\norderer.General.TLS.ClientAuthRequired = false"));

        Assert.Contains("orderer.General.TLS.ClientAuthRequired = false", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be true while orderer.General.TLS.Enabled = true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_authentication_may_be_off_when_tls_is_off()
    {
        var settings = Load(Channels + "\norderer.General.TLS { Enabled = false, ClientAuthRequired = false }");

        Assert.False(settings.Tls.Enabled);
    }

    [Fact]
    public void Defaults_come_from_reference_conf()
    {
        var settings = Load(Channels);

        Assert.Equal(16, settings.DeliverWindow);
        Assert.Equal(10_000, settings.MaxPendingTransactions);
        Assert.Equal("data/orderer", settings.FileLedgerLocation);
    }

    [Theory]
    [InlineData("orderer.BatchSize.MaxMessageCount = 0", "orderer.BatchSize.MaxMessageCount = 0 is not allowed")]
    [InlineData("orderer.BatchSize.AbsoluteMaxBytes = 100 MiB", "orderer.BatchSize.AbsoluteMaxBytes")]
    [InlineData("orderer.BatchSize.PreferredMaxBytes = 2 MiB", "PreferredMaxBytes must not exceed AbsoluteMaxBytes")]
    [InlineData("orderer.BatchTimeout = forever", "orderer.BatchTimeout")]
    [InlineData("orderer.General.ListenPort = 70000", "orderer.General.ListenPort = 70000")]
    [InlineData("orderer.General.BatchTimout = 1s", "orderer.General.BatchTimout is not a known orderer setting")]
    [InlineData("orderer.General.TLS.Enabled = maybe", "orderer.General.TLS.Enabled = maybe is not allowed")]
    [InlineData("orderer.General.TLS.RootCAs { a = 1 }", "orderer.General.TLS.RootCAs")]
    [InlineData("orderer.General.TLS.ClientRootCAs = []", "orderer.General.TLS.ClientRootCAs is not a known orderer setting")]
    public void An_invalid_setting_is_named_with_its_value(string line, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => Load(Channels + "\n" + line));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channels_writers_default_to_its_orgs_and_may_be_narrowed()
    {
        var settings = Load("""
            orderer.Channels = [
              { orgs = ["Org1", "Org2"], name = "open" },
              { orgs = ["Org1", "Org2"], writers = ["Org2"], name = "narrow" },
            ]
            """);

        Assert.Equal(["Org1", "Org2"], settings.Writers["open"]);
        Assert.Equal(["Org2"], settings.Writers["narrow"]);
        Assert.Equal(["Org2"], GossipActors.Ordering.OrdererNode.ToOptions(settings).WritersOf("narrow"));
    }

    [Fact]
    public void A_writer_that_is_not_an_org_of_its_channel_is_named()
    {
        var error = Assert.Throws<SettingsException>(() =>
            Load("""orderer.Channels = [{ orgs = ["Org1"], writers = ["Org9"], name = "mychannel" }]"""));

        Assert.Contains("writers", error.Message, StringComparison.Ordinal);
        Assert.Contains("Org9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_orderer_without_channels_is_refused()
    {
        var error = Assert.Throws<SettingsException>(() => Load(""));

        Assert.Contains("orderer.Channels", error.Message, StringComparison.Ordinal);
    }
}
