using System.Net;
using System.Net.Http.Json;
using GossipActors.Operations;
using Microsoft.Extensions.Logging;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Operations;

public sealed class OperationsEndpointTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly LogLevelSwitch _logging = new(LogSpec.Parse("gossip=debug:info"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private OperationsServer? _server;

    public async Task InitializeAsync() =>
        _server = await OperationsServer.StartAsync("127.0.0.1:0", "peer0.org1", CreateTestProbe().Ref,
            Metrics.NewCustomRegistry(), [], _logging);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private Uri At(string path) => new(_server!.BaseAddress, path);

    [Fact]
    public async Task Version_reports_the_assembly_version_with_fabric_field_names()
    {
        var body = await _http.GetStringAsync(At("/version"));

        Assert.Contains("\"Version\":", body, StringComparison.Ordinal);
        Assert.Contains("\"CommitSHA\":", body, StringComparison.Ordinal);
        Assert.Contains(VersionEndpoints.Version.Version, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logspec_reports_the_spec_in_force_and_a_put_changes_it_at_run_time()
    {
        var before = await _http.GetFromJsonAsync<VersionEndpoints.LogSpecBody>(At("/logspec"));
        Assert.Equal("gossip=debug:info", before!.Spec);

        var put = await _http.PutAsJsonAsync(At("/logspec"), new VersionEndpoints.LogSpecBody("gossip.comm=error:warn"));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(LogLevel.Error, _logging.Current.LevelFor("gossip.comm.handshake"));
        Assert.Equal(LogLevel.Warning, _logging.Current.LevelFor("gossip.election"));
        var after = await _http.GetFromJsonAsync<VersionEndpoints.LogSpecBody>(At("/logspec"));
        Assert.Equal("gossip.comm=error:warn", after!.Spec);
    }

    [Fact]
    public async Task A_bad_logspec_is_refused_with_the_reason_and_changes_nothing()
    {
        var put = await _http.PutAsJsonAsync(At("/logspec"), new VersionEndpoints.LogSpecBody("gossip=loud"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("loud", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("gossip=debug:info", _logging.Current.Text);
    }

    [Fact]
    public async Task A_logspec_body_that_is_not_the_expected_json_is_refused()
    {
        using var content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json");

        var put = await _http.PutAsync(At("/logspec"), content);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("gossip=debug:info", _logging.Current.Text);
    }
}
