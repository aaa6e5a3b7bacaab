using System.Net;
using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Discovery;
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
/// The peer's operations endpoint on Kestrel: /healthz (200 while the peer answers, else 503), /metrics (Prometheus
/// text, gossip_* names) and /status (JSON: identity and membership view). Bound to operations.listenAddress; no /metrics with metrics.provider = disabled.
/// </summary>
public sealed class OperationsServer : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private readonly WebApplication _app;

    private OperationsServer(WebApplication app) => _app = app;

    /// <summary>The address actually bound (useful with port 0).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="logging">The node's run-time log level, served at GET and PUT /logspec; a fixed "info" when null.</param>
    /// <param name="serveMetrics">metrics.provider: false (disabled) serves no /metrics.</param>
    public static async Task<OperationsServer> StartAsync(string listenAddress, string id, IActorRef peer, CollectorRegistry metrics,
        IReadOnlyList<string> channels, LogLevelSwitch? logging = null, bool serveMetrics = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var (host, port) = HostPort.Parse(listenAddress);
        var address = IPAddress.TryParse(host, out var literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(host)).OrderBy(a => a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork).First();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        var known = Prometheus.Metrics.WithCustomRegistry(metrics)
            .CreateGauge("gossip_membership_total_peers_known", "Peers this peer currently considers alive.");
        metrics.AddBeforeCollectCallback(async cancel =>
            known.Set((await peer.Ask<MembershipSnapshot>(GetMembership.Instance, AskTimeout, cancel)).Alive.Count));

        app.MapGet("/healthz", async () =>
        {
            try
            {
                await peer.Ask<MembershipSnapshot>(GetMembership.Instance, AskTimeout);
                return Results.Json(new { status = "OK" });
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                return Results.Json(new { status = "unavailable", reason = "the peer did not answer" }, statusCode: 503);
            }
        });
        if (serveMetrics)
        {
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4";
                await metrics.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            });
        }
        VersionEndpoints.Map(app, logging ?? new LogLevelSwitch(LogSpec.Info));
        app.MapGet("/status", async () =>
        {
            var view = await peer.Ask<MembershipSnapshot>(GetMembership.Instance, AskTimeout);
            var joined = await Task.WhenAll(channels.Select(c => peer.Ask<ChannelStatus>(new GetChannelStatus(c), AskTimeout)));
            return Results.Json(new PeerStatus(id, view.Self.Org, view.Self.PkiId.ToHex(), view.Self.InternalEndpoint,
                view.Self.ExternalEndpoint, view.Self.Incarnation, [.. view.Alive.Select(ToStatus)], [.. view.Dead.Select(ToStatus)],
                [.. joined.Select(ToSummary)]));
        });
        app.MapGet("/blocks", async (string? channel) =>
        {
            if (string.IsNullOrEmpty(channel) || !channels.Contains(channel, StringComparer.Ordinal))
            {
                return Results.Json(new { error = $"channel '{channel}' is not joined; joined: {string.Join(", ", channels)}" }, statusCode: 404);
            }
            var recent = await peer.Ask<RecentBlocks>(new GetRecentBlocks(channel), AskTimeout);
            return Results.Json(new RecentBlocksStatus(recent.Channel,
                [.. recent.Blocks.Select(b => new BlockTimes(b.Number, b.CutUnixMs, b.CommittedUnixMs))]));
        });
        await app.StartAsync();
        return new OperationsServer(app);
    }

    private static ChannelSummary ToSummary(ChannelStatus status) => new(status.Channel, status.Left, status.Height, status.LastBlockHash,
        status.Peers.ToDictionary(p => p.Id.ToHex(), p => p.Height), status.Counters.BadBlocks, status.Counters.FullCopiesReceived,
        status.IsLeader, status.Leader?.ToHex(), status.LastBlockLatencyMs);

    private static MemberStatus ToStatus(AliveRecord record) => new(record.PkiId.ToHex(), record.Org,
        record.InternalEndpoint.Length > 0 ? record.InternalEndpoint : record.ExternalEndpoint, record.Incarnation, record.Sequence);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
