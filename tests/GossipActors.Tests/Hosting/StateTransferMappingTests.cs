using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Hosting;
using GossipActors.Ledger;
using Xunit;

namespace GossipActors.Tests.Hosting;

/// <summary>peer.gossip.state.* reach every channel's state transfer (their effects are shown by the planner tests and the channel specs).</summary>
public sealed class StateTransferMappingTests
{
    [Fact]
    public void Every_state_key_and_the_message_size_reach_each_channels_state_transfer_options()
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString("""
            peer.gossip {
              maxMessageSize = 2097152
              state { enabled = false, checkInterval = 4s, responseTimeout = 1500ms, batchSize = 25, blockBufferSize = 300, maxRetries = 5 }
            }
            peer.localMspId = "Org1"
            peer.channels = [ { name = "a", orgs = ["Org1"], ordererOrg = "OrdererOrg" }, { name = "b", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
            """));

        var channels = SettingsMapping.ToChannels(settings);

        var expected = new StateTransferOptions(Enabled: false, CheckInterval: TimeSpan.FromSeconds(4), ResponseTimeout: TimeSpan.FromMilliseconds(1500),
            BatchSize: 25, MaxRetries: 5, Window: 300, MaxResponseBytes: 2097152 - StateTransferOptions.EnvelopeAllowance);
        Assert.All(channels, c => Assert.Equal(expected, c.StateTransferOrDefault));
        Assert.All(channels, c => Assert.Equal(300, c.PayloadBufferSize));
        Assert.Equal(12, expected.MaxInFlight); // 300 / 25: the pipeline depth
    }

    [Fact]
    public void The_defaults_pipeline_two_batches_of_ten_within_the_four_MiB_message_size()
    {
        var options = SettingsMapping.ToStateTransfer(PeerSettings.Default);

        Assert.True(options.Enabled);
        Assert.Equal((10, 20, 2), (options.BatchSize, options.Window, options.MaxInFlight));
        Assert.Equal(PeerSettings.Default.Gossip.MaxMessageSize - StateTransferOptions.EnvelopeAllowance, options.MaxResponseBytes);
    }
}
