using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Hosting;
using Xunit;

namespace GossipActors.Tests.Configuration;

/// <summary>
/// Where keys live (Fabric's top-level operations and metrics; nothing else at the top level but akka), the one size
/// limit, and the keys accepted without effect: nothing a user writes passes silently.
/// </summary>
public sealed class ConfigurationPlacesTests
{
    private static PeerSettings Read(string hocon) => PeerSettings.FromConfig(ConfigurationFactory.ParseString(hocon));

    private static SettingsException Reject(string hocon) => Assert.Throws<SettingsException>(() => Read(hocon));

    [Fact]
    public void Operations_listen_address_at_Fabrics_top_level_is_the_one_used()
    {
        Assert.Equal("127.0.0.1:9555", Read("operations.listenAddress = \"127.0.0.1:9555\"").Operations.ListenAddress);
    }

    [Fact]
    public void The_former_peer_operations_key_is_an_alias_and_a_conflict_with_the_top_level_key_is_an_error()
    {
        Assert.Equal("127.0.0.1:9556", Read("peer.operations.listenAddress = \"127.0.0.1:9556\"").Operations.ListenAddress);
        Assert.Equal("127.0.0.1:9556", Read("""
            operations.listenAddress = "127.0.0.1:9556"
            peer.operations.listenAddress = "127.0.0.1:9556"
            """).Operations.ListenAddress);

        var error = Reject("""
            operations.listenAddress = "127.0.0.1:9555"
            peer.operations.listenAddress = "127.0.0.1:9556"
            """);

        Assert.Contains("operations.listenAddress = 127.0.0.1:9555 and peer.operations.listenAddress = 127.0.0.1:9556", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_provider_disabled_turns_metrics_off_and_statsd_is_refused_clearly()
    {
        Assert.False(Read("metrics.provider = disabled").Operations.MetricsEnabled);

        var error = Reject("metrics.provider = statsd");

        Assert.Equal("metrics.provider", error.Key);
        Assert.Contains("statsd is not supported", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_top_level_section_is_refused_naming_it_and_akka_is_left_to_akka()
    {
        var error = Reject("vm { endpoint = \"unix:///var/run/docker.sock\" }");

        Assert.Equal("vm", error.Key);
        Assert.Contains("vm is not a known top-level section", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer, operations, metrics, logging, orderer, akka", error.Message, StringComparison.Ordinal);
        Assert.Equal(8 * 1024 * 1024, Read("akka.loglevel = DEBUG\nakka.anything.goes = 1").Gossip.MaxMessageSize);
    }

    [Fact]
    public void An_unknown_key_under_operations_or_metrics_is_refused_with_a_suggestion()
    {
        var error = Reject("operations.listenAdress = \"127.0.0.1:1\"\nmetrics.statsd.address = \"x:1\"");

        Assert.Contains(error.Problems, p => p.Message == "operations.listenAdress is not a known setting (did you mean operations.listenAddress?)");
        Assert.Contains(error.Problems, p => p.Key == "metrics.statsd.address");
    }

    [Fact]
    public void A_message_size_the_wire_frame_cannot_carry_is_refused_naming_both_keys()
    {
        var error = Reject("peer.gossip.maxMessageSize = 20000000");

        Assert.Contains(MessageSizeLimit.MaxMessageSizeKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(MessageSizeLimit.FrameKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("20000000", error.Message, StringComparison.Ordinal);
        // Raising the frame with it is accepted.
        Assert.Equal(20000000, Read("peer.gossip.maxMessageSize = 20000000\nakka.remote.dot-netty.tcp.maximum-frame-size = 32 MiB").Gossip.MaxMessageSize);
    }

    [Fact]
    public void A_serializer_limit_that_disagrees_with_the_message_size_is_refused()
    {
        var error = Reject("akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = 2 MiB");

        Assert.Contains(MessageSizeLimit.MaxMessageSizeKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(MessageSizeLimit.EnvelopeKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("one size limit", error.Message, StringComparison.Ordinal);
        Read("peer.gossip.maxMessageSize = 2097152\nakka.actor.serialization-settings.gossip-wire.max-envelope-bytes = 2 MiB");
    }

    [Fact]
    public void The_serializer_limit_of_a_peer_is_derived_from_the_message_size()
    {
        var settings = Read("peer.gossip.maxMessageSize = 1048576\npeer.address = \"127.0.0.1:0\"");

        var akka = AkkaNodeConfig.Gossip(settings).WithFallback(ReferenceConfig.Load());

        Assert.Equal(1048576, akka.GetByteSize(MessageSizeLimit.EnvelopeKey));
    }

    [Fact]
    public void Every_key_without_effect_is_a_reference_setting_and_those_set_here_are_reported()
    {
        var reference = ReferenceConfig.Load();
        Assert.All(KeysWithoutEffect.All, key => Assert.True(reference.HasPath(key.Key), $"{key.Key} is not in reference.conf"));
        Assert.Equal(KeysWithoutEffect.All.Count, KeysWithoutEffect.All.Select(k => k.Key).Distinct().Count());

        var config = PeerConfig.Load(ConfigurationFactory.ParseString("peer.gossip.skipBlockVerification = true"), new Dictionary<string, string>());
        var changed = KeysWithoutEffect.ChangedIn(config);

        Assert.Equal("peer.gossip.skipBlockVerification", Assert.Single(changed).Key.Key);
        var notices = ConfigNotices.For(config, new Dictionary<string, string> { ["CORE_PEER_GOSSIP_ALIVETIMEINTERVALL"] = "1s" });
        Assert.Equal(3, notices.Count);
        Assert.Equal(2, notices.Count(n => n.IsWarning));
    }
}
