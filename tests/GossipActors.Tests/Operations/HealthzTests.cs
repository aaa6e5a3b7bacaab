using System.Net;
using System.Text.Json;
using GossipActors.Operations;
using Xunit;

namespace GossipActors.Tests.Operations;

/// <summary>GET /healthz as Fabric's operations service answers it: 200 OK while every check passes, else 503 naming each failed check.</summary>
public sealed class HealthzTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<OperationsServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Healthz(params HealthCheck[] checks)
    {
        var server = await OperationsServer.StartAsync("127.0.0.1:0", new NodeOperations(checks, _ => Task.FromResult<object>(new { }), null,
            new LogLevelSwitch(LogSpec.Info)));
        _servers.Add(server);
        var response = await _http.GetAsync(new Uri(server.BaseAddress, "/healthz"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static HealthCheck Passing(string name) => new(name, _ => Task.FromResult<string?>(null));

    [Fact]
    public async Task While_every_check_passes_healthz_answers_200_OK_with_the_time()
    {
        var (status, body) = await Healthz(Passing("actorSystem"), Passing("ledger"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        Assert.True(body.TryGetProperty("time", out _));
        Assert.False(body.TryGetProperty("failed_checks", out _));
    }

    [Fact]
    public async Task A_failing_check_makes_healthz_answer_503_naming_the_component_and_the_reason()
    {
        var (status, body) = await Healthz(Passing("actorSystem"), new HealthCheck("ledger", _ => Task.FromResult<string?>("the ledger directory is gone")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Service Unavailable", body.GetProperty("status").GetString());
        var failed = Assert.Single(body.GetProperty("failed_checks").EnumerateArray());
        Assert.Equal("ledger", failed.GetProperty("component").GetString());
        Assert.Equal("the ledger directory is gone", failed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_check_that_never_answers_fails_after_the_check_timeout_instead_of_hanging_healthz()
    {
        var (status, body) = await Healthz(new HealthCheck("gossip", _ => new TaskCompletionSource<string?>().Task));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var failed = Assert.Single(body.GetProperty("failed_checks").EnumerateArray());
        Assert.Equal("gossip", failed.GetProperty("component").GetString());
        Assert.Contains("no answer within", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_ledger_check_passes_in_a_writable_directory_leaving_nothing_and_fails_naming_the_key_when_it_is_gone()
    {
        var root = Path.Combine(Path.GetTempPath(), "healthz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Assert.Null(NodeChecks.LedgerWritable(root, "peer.fileSystemPath"));
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));

            var missing = NodeChecks.LedgerWritable(Path.Combine(root, "gone"), "peer.fileSystemPath");

            Assert.Contains("does not exist", missing, StringComparison.Ordinal);
            Assert.Contains("peer.fileSystemPath", missing, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
