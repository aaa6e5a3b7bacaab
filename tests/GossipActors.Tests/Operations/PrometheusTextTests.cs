using GossipActors.Tests.Support;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Operations;

/// <summary>The strict text-format reader the /metrics tests rely on accepts valid expositions and refuses each kind of break.</summary>
public sealed class PrometheusTextTests
{
    private const string Valid = """
        # HELP gossip_state_height Current ledger height
        # TYPE gossip_state_height gauge
        gossip_state_height{channel="ch1"} 3
        gossip_state_height{channel="a \"quoted\" \\ name\n"} 0
        # HELP gossip_comm_messages_sent Number of messages sent
        # TYPE gossip_comm_messages_sent counter
        gossip_comm_messages_sent 12 1700000000000
        # HELP gossip_state_commit_duration Time it takes to commit a block in seconds
        # TYPE gossip_state_commit_duration histogram
        gossip_state_commit_duration_sum{channel="ch1"} 0.5
        gossip_state_commit_duration_count{channel="ch1"} 2
        gossip_state_commit_duration_bucket{channel="ch1",le="0.1"} 1
        gossip_state_commit_duration_bucket{channel="ch1",le="+Inf"} 2

        """;

    [Fact]
    public void A_valid_exposition_is_read_family_by_family()
    {
        var families = PrometheusText.Parse(Valid);

        Assert.Equal(["gossip_comm_messages_sent", "gossip_state_commit_duration", "gossip_state_height"], families.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("histogram", families["gossip_state_commit_duration"].Type);
        Assert.Equal("a \"quoted\" \\ name\n", families["gossip_state_height"].Samples[1].Labels["channel"]);
        Assert.Equal(12, Assert.Single(families["gossip_comm_messages_sent"].Samples).Value);
    }

    [Fact]
    public async Task What_prometheus_net_writes_for_every_metric_type_is_valid()
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateCounter("a_total", "A counter.", new CounterConfiguration { LabelNames = ["reason"] }).WithLabels("Bad\"Sig\\").Inc();
        // prometheus-net 8 writes HELP text as given, unescaped: a help with a backslash or a line feed would break the
        // format (this reader refuses it, as Prometheus does), so no help of ours has either (OperationsEndpointSpec).
        factory.CreateGauge("b", "A gauge.").Set(-1.5);
        factory.CreateHistogram("c_seconds", "A histogram.", new HistogramConfiguration { LabelNames = ["channel"] }).WithLabels("ch").Observe(0.2);
        factory.CreateSummary("d", "A summary.").Observe(1);
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);

        var families = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));

        Assert.Equal(["a_total", "b", "c_seconds", "d"], families.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Bad\"Sig\\", Assert.Single(families["a_total"].Samples).Labels["reason"]);
    }

    [Theory]
    [InlineData("x 1\n", "does not belong")]
    [InlineData("# TYPE x gauge\nx 1\n", "has no HELP")]
    [InlineData("# HELP x A gauge.\nx 1\n", "has no TYPE")]
    [InlineData("# HELP x A gauge.\n# TYPE x gauge\ny 1\n", "does not belong")]
    [InlineData("# HELP x A gauge.\n# TYPE x gauge\n", "")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx 1\n# HELP y B.\n# TYPE y gauge\ny 1\n# HELP x again\n", "declared again")]
    [InlineData("# HELP x A.\n# TYPE x gauge\n# TYPE x counter\n", "a second TYPE")]
    [InlineData("# HELP x A.\n# TYPE x meter\n", "not a metric type")]
    [InlineData("# HELP 1x A.\n# TYPE 1x gauge\n", "not a valid metric name")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{1a=\"v\"} 1\n", "not a valid label name")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{__a=\"v\"} 1\n", "not a valid label name")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{a=v} 1\n", "not quoted")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{a=\"v\\t\"} 1\n", "not a valid escape")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{a=\"v\" b=\"w\"} 1\n", "separated by ','")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{a=\"v\",a=\"w\"} 1\n", "repeated")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx{a=\"v\"} 1\nx{a=\"v\"} 2\n", "repeated")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx one\n", "not a value")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx  1\n", "name{labels} value")]
    [InlineData("# HELP x A.\n# TYPE x counter\nx -1\n", "negative")]
    [InlineData("# HELP h A.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "le=\\\"+Inf\\\"")]
    [InlineData("# HELP h A.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "cumulative")]
    [InlineData("# HELP x A.\n# TYPE x gauge\nx 1", "line feed")]
    public void A_break_of_the_format_is_refused_naming_it(string text, string expected)
    {
        if (expected.Length == 0)
        {
            Assert.Empty(PrometheusText.Parse(text).Values.SelectMany(f => f.Samples)); // a family without samples is valid
            return;
        }

        var error = Assert.Throws<PrometheusFormatException>(() => PrometheusText.Parse(text));

        Assert.Contains(expected.Replace("\\\"", "\""), error.Message, StringComparison.Ordinal);
    }
}
