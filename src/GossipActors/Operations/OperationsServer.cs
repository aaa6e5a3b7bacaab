using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace GossipActors.Operations;

/// <summary>
/// A node's operations endpoint on Kestrel, as Fabric's operations service has it (docs/operations.md): /healthz (200
/// while every check passes, else 503 naming the failed checks), /metrics (Prometheus text), /status (JSON),
/// /version and /logspec. Peers and the orderer serve it alike; what differs is in <see cref="NodeOperations"/>.
/// </summary>
public sealed class OperationsServer : IAsyncDisposable
{
    /// <summary>Longest wait for one health check or one actor answer.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;

    private OperationsServer(WebApplication app) => _app = app;

    /// <summary>The address actually bound (useful with port 0).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>A peer's endpoint (<see cref="PeerOperations"/>), checking only that the peer actor answers.</summary>
    /// <param name="logging">The node's run-time log level, served at GET and PUT /logspec; a fixed "info" when null.</param>
    /// <param name="serveMetrics">metrics.provider: false (disabled) serves no /metrics.</param>
    public static Task<OperationsServer> StartAsync(string listenAddress, string id, IActorRef peer, CollectorRegistry metrics,
        IReadOnlyList<string> channels, LogLevelSwitch? logging = null, bool serveMetrics = true) =>
        StartAsync(listenAddress, PeerOperations.Create(id, peer, metrics, channels, logging ?? new LogLevelSwitch(LogSpec.Info), serveMetrics));

    public static async Task<OperationsServer> StartAsync(string listenAddress, NodeOperations node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var (host, port) = Comm.HostPort.Parse(listenAddress);
        var address = IPAddress.TryParse(host, out var literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(host)).OrderBy(a => a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork).First();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();

        app.MapGet("/healthz", async (HttpContext context) =>
        {
            var failed = await FailedChecksAsync(node.Checks, context.RequestAborted);
            return failed.Count == 0
                ? Results.Json(new HealthStatus(HealthStatus.Ok, DateTimeOffset.UtcNow, null))
                : Results.Json(new HealthStatus(HealthStatus.Unavailable, DateTimeOffset.UtcNow, failed), statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        if (node.Metrics is { } metrics)
        {
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await metrics.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            });
        }
        app.MapGet("/status", async (HttpContext context) =>
        {
            try
            {
                return Results.Json(await node.Status(context.RequestAborted));
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                return Results.Json(new HealthStatus(HealthStatus.Unavailable, DateTimeOffset.UtcNow,
                    [new FailedCheck("status", "the node did not answer within " + CheckTimeout.TotalSeconds + "s")]), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        VersionEndpoints.Map(app, node.Logging);
        node.Routes?.Invoke(app);
        await app.StartAsync();
        return new OperationsServer(app);
    }

    /// <summary>Runs every check at once; a check that throws or outlasts <see cref="CheckTimeout"/> fails.</summary>
    public static async Task<IReadOnlyList<FailedCheck>> FailedChecksAsync(IReadOnlyList<HealthCheck> checks, CancellationToken cancel)
    {
        var results = await Task.WhenAll(checks.Select(async check =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(CheckTimeout);
            try
            {
                var reason = await check.Probe(timeout.Token).WaitAsync(timeout.Token);
                return reason is null ? null : new FailedCheck(check.Component, reason);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AskTimeoutException && !cancel.IsCancellationRequested)
            {
                return new FailedCheck(check.Component, $"no answer within {CheckTimeout.TotalSeconds}s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A check that throws is a failed check: /healthz reports it rather than answering 500.
                return new FailedCheck(check.Component, ex.Message);
            }
        }));
        return [.. results.OfType<FailedCheck>()];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
