using System.Net;
using GossipActors.Operations;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Operations;

/// <summary>metrics.provider = disabled: the operations endpoint serves no /metrics (the rest stays).</summary>
public sealed class MetricsProviderTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task With_metrics_disabled_there_is_no_metrics_endpoint()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await using var server = await OperationsServer.StartAsync("127.0.0.1:0", "peer0.org1", CreateTestProbe().Ref,
            Metrics.NewCustomRegistry(), [], serveMetrics: false);

        var metrics = await http.GetAsync(new Uri(server.BaseAddress, "/metrics"));
        var version = await http.GetAsync(new Uri(server.BaseAddress, "/version"));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
    }
}
