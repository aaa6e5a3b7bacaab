using GossipActors.Channels;
using GossipActors.Discovery;
using GossipActors.Logging;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Logging;

/// <summary>The lines an operator reads for gossip events: peers named one way, entry points and gaps said once.</summary>
public sealed class GossipEventLinesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Peers_are_named_name_at_org_with_their_short_pki_id_and_an_unknown_name_is_a_question_mark()
    {
        using var pki = new TestPki("Org1");
        var peer = pki.Peer("Org1", "peer1.org1");

        Assert.Equal($"peer1.org1@Org1 ({peer.PkiId})", PeerLabel.Of(peer.Name, peer.MspId, peer.PkiId));
        Assert.Equal(16, peer.PkiId.ToString().Length);
        Assert.Equal($"?@Org2 ({peer.PkiId})", PeerLabel.Of("", "Org2", peer.PkiId));
    }

    [Fact]
    public void An_unreachable_bootstrap_peer_is_said_once_then_again_only_after_the_interval_with_the_failures_between()
    {
        var report = new EntryPointReport(["127.0.0.1:8051"], ["127.0.0.1:9051"], TimeSpan.FromSeconds(25));
        const string reason = "no gossip peer answers there";

        var first = report.OnUnreachable("127.0.0.1:8051", reason, T0);
        Assert.Equal("Bootstrap peer 127.0.0.1:8051 is unreachable: no gossip peer answers there; retrying every 25 s (said again every 5 min while it lasts)", first);
        for (var attempt = 1; attempt <= 11; attempt++)
        {
            Assert.Null(report.OnUnreachable("127.0.0.1:8051", reason, T0 + TimeSpan.FromSeconds(25 * attempt)));
        }
        var again = report.OnUnreachable("127.0.0.1:8051", reason, T0 + EntryPointReport.RepeatEvery);
        Assert.Contains("11 more attempts failed since it was last said", again, StringComparison.Ordinal);

        Assert.StartsWith("Anchor peer 127.0.0.1:9051 is unreachable", report.OnUnreachable("127.0.0.1:9051", reason, T0), StringComparison.Ordinal);
        Assert.Null(report.OnUnreachable("127.0.0.1:7777", reason, T0)); // not an entry point: membership declares known peers dead
    }

    [Fact]
    public void A_block_gap_is_said_when_fetching_starts_and_its_catch_up_when_the_last_missing_block_is_committed()
    {
        var report = new CatchUpReport("mychannel");

        Assert.Equal("Channel mychannel: block gap: our height is 3, peers have up to 10; fetching blocks 3..9 from channel peers (state transfer)",
            report.OnRequested(3, 10, T0));
        Assert.Null(report.OnRequested(5, 12, T0.AddSeconds(1))); // more requests for the same gap: nothing new to say
        Assert.Null(report.OnCommitted(10, T0.AddSeconds(2)));
        Assert.Equal("Channel mychannel: caught up at height 12 (9 blocks in 3.0 s)", report.OnCommitted(12, T0.AddSeconds(3)));
        Assert.Null(report.OnCommitted(13, T0.AddSeconds(4)));
    }
}
