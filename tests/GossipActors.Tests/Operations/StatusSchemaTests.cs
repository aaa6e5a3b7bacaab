using System.Text.Json;
using GossipActors.Operations;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Operations;

/// <summary>
/// /status documents as the endpoint serialises them (ASP.NET's web JSON defaults) match docs/*-status.schema.json,
/// and every field of those schemas is described in docs/operations.md. The integration test
/// OperationsEndpointSpec checks the same against running nodes.
/// </summary>
public sealed class StatusSchemaTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static PeerStatus FullPeerStatus(string? leader, long? latency) => new("peer0.org1", "Org1", "ab01", "127.0.0.1:7051", "",
        1_700_000_000_000, [new MemberStatus("cd02", "Org1", "127.0.0.1:8051", 1_700_000_000_001, 42)], [],
        [new ChannelSummary("mychannel", false, 12, "ef03", new Dictionary<string, ulong> { ["cd02"] = 12 }, 0, 11, true, leader, latency)]);

    [Theory]
    [InlineData("ab01", 35L)]
    [InlineData(null, null)]
    public void A_peer_status_matches_the_documented_schema(string? leader, long? latency)
    {
        var json = JsonSerializer.Serialize(FullPeerStatus(leader, latency), Web);

        Assert.Empty(StatusSchema.Load("peer-status.schema.json").Problems(json));
    }

    [Fact]
    public void An_orderer_status_matches_the_documented_schema()
    {
        var json = JsonSerializer.Serialize(new OrdererNodeStatus("orderer0.ordererorg", "OrdererOrg", [new OrdererChannelStatus("mychannel", 21)]), Web);

        Assert.Empty(StatusSchema.Load("orderer-status.schema.json").Problems(json));
    }

    [Fact]
    public void The_schema_check_names_an_undocumented_field_a_missing_field_and_a_wrong_type()
    {
        var schema = StatusSchema.Load("orderer-status.schema.json");

        var problems = schema.Problems("""{"id":"o","mspId":7,"channels":[{"name":"c","height":1.5,"lag":0}],"extra":true}""");

        Assert.Equal(["$.mspId: integer, expected string", "$.channels[0].height: number, expected integer",
            "$.channels[0].lag: not in the documented schema", "$.extra: not in the documented schema"], problems);
        Assert.Equal(["$.channels: missing"], schema.Problems("""{"id":"o","mspId":"m"}"""));
    }

    [Theory]
    [InlineData("peer-status.schema.json")]
    [InlineData("orderer-status.schema.json")]
    public void Every_status_field_is_described_in_the_operations_guide(string schemaFile)
    {
        var guide = File.ReadAllText(Path.Combine(StatusSchema.DocsDirectory(), "operations.md"));

        var undocumented = StatusSchema.Load(schemaFile).PropertyNames().Where(name => !guide.Contains($"| `{name}`", StringComparison.Ordinal));

        Assert.Empty(undocumented);
    }
}
