using System.CommandLine;
using GossipActors.Node;
using GossipActors.Operations;
using Xunit;

namespace GossipActors.Tests.Hosting;

public sealed class StatusCommandTests
{
    private static readonly PeerStatus Sample = new("peer0.org1", "Org1", "aabbccddeeff0011", "127.0.0.1:7051", "127.0.0.1:7051", 7,
        [new MemberStatus("1122334455667788", "Org1", "127.0.0.1:7052", 3, 9)],
        [new MemberStatus("99aa88bb77cc66dd", "Org2", "127.0.0.1:9051", 2, 4)],
        [new ChannelSummary("ch1", false, 12, "0123456789abcdef", new Dictionary<string, ulong> { ["1122334455667788"] = 11 }, 0, 12, true, "aabbccddeeff0011")]);

    [Fact]
    public void The_status_text_names_peers_by_endpoint_org_and_short_pki_id_and_shows_each_channel()
    {
        var text = StatusText.Format(Sample);

        Assert.Contains("peer0.org1@Org1 (aabbccdd)", text, StringComparison.Ordinal);
        Assert.Contains("1 alive, 1 dead", text, StringComparison.Ordinal);
        Assert.Contains("alive  127.0.0.1:7052@Org1 (11223344)", text, StringComparison.Ordinal);
        Assert.Contains("dead   127.0.0.1:9051@Org2 (99aa88bb)", text, StringComparison.Ordinal);
        Assert.Contains("channel ch1: height 12, last block 01234567, this peer leads its org", text, StringComparison.Ordinal);
        Assert.Contains("peer 11223344 at height 11", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_that_does_not_answer_is_reported_with_exit_code_1()
    {
        var port = GossipActors.Boundary.FreeLoopbackPorts.Next(); // reserved for this process: nothing listens there
        var error = new StringWriter();

        var code = new RootCommand { StatusCommand.Create() }.Parse(["status", "--ops", $"127.0.0.1:{port}"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.Equal(StatusCommand.Unavailable, code);
        Assert.Contains($"no status from http://127.0.0.1:{port}/", error.ToString(), StringComparison.Ordinal);
    }
}
