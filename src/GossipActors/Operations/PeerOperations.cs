using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace GossipActors.Operations;

/// <summary>
/// A peer's operations content: /status (<see cref="PeerStatus"/>), the /healthz checks and the membership gauges
/// that are read when /metrics is scraped.
/// </summary>
public static class PeerOperations
{
    /// <param name="system">The gossip actor system: checked for termination when given.</param>
    /// <param name="ledgerDirectory">peer.fileSystemPath: checked for being writable when given.</param>
    public static NodeOperations Create(string id, IActorRef peer, CollectorRegistry metrics, IReadOnlyList<string> channels,
        LogLevelSwitch logging, bool serveMetrics = true, ActorSystem? system = null, string? ledgerDirectory = null)
    {
        RegisterMembershipGauges(metrics, peer, channels);
        var checks = new List<HealthCheck>();
        if (system is not null)
        {
            checks.Add(NodeChecks.ActorSystem(system));
        }
        checks.Add(new HealthCheck("gossip", async cancel =>
        {
            await peer.Ask<MembershipSnapshot>(GetMembership.Instance, OperationsServer.CheckTimeout, cancel);
            return null;
        }));
        if (ledgerDirectory is not null)
        {
            checks.Add(NodeChecks.Ledger(ledgerDirectory, "peer.fileSystemPath"));
        }
        return new NodeOperations(checks, async cancel => await StatusAsync(id, peer, channels, cancel), serveMetrics ? metrics : null, logging,
            routes => MapBlocks(routes, peer, channels));
    }

    /// <summary>GET /blocks?channel=NAME: the channel's last committed blocks with cut and commit times (<see cref="RecentBlocksStatus"/>).</summary>
    private static void MapBlocks(IEndpointRouteBuilder routes, IActorRef peer, IReadOnlyList<string> channels) =>
        routes.MapGet("/blocks", async (string? channel, CancellationToken cancel) =>
        {
            if (string.IsNullOrEmpty(channel) || !channels.Contains(channel, StringComparer.Ordinal))
            {
                return Results.Json(new { error = $"channel '{channel}' is not joined; joined: {string.Join(", ", channels)}" }, statusCode: 404);
            }
            var recent = await peer.Ask<RecentBlocks>(new GetRecentBlocks(channel), OperationsServer.CheckTimeout, cancel);
            return Results.Json(new RecentBlocksStatus(recent.Channel,
                [.. recent.Blocks.Select(b => new BlockTimes(b.Number, b.CutUnixMs, b.CommittedUnixMs))]));
        });

    /// <summary>The /status document: identity, membership view, and each joined channel.</summary>
    public static async Task<PeerStatus> StatusAsync(string id, IActorRef peer, IReadOnlyList<string> channels, CancellationToken cancel)
    {
        var view = await peer.Ask<MembershipSnapshot>(GetMembership.Instance, OperationsServer.CheckTimeout, cancel);
        var joined = await Task.WhenAll(channels.Select(c => peer.Ask<ChannelStatus>(new GetChannelStatus(c), OperationsServer.CheckTimeout, cancel)));
        return new PeerStatus(id, view.Self.Org, view.Self.PkiId.ToHex(), view.Self.InternalEndpoint,
            view.Self.ExternalEndpoint, view.Self.Incarnation, [.. view.Alive.Select(ToStatus)], [.. view.Dead.Select(ToStatus)],
            [.. joined.Select(ToSummary)]);
    }

    /// <summary>
    /// gossip_membership_total_peers_known{channel} (Fabric's: the peers of the channel view) and ours,
    /// gossip_membership_alive_peers / gossip_membership_dead_peers (the whole membership view); read from the peer at
    /// each scrape. A peer that does not answer leaves the last values.
    /// </summary>
    private static void RegisterMembershipGauges(CollectorRegistry registry, IActorRef peer, IReadOnlyList<string> channels)
    {
        var metrics = Prometheus.Metrics.WithCustomRegistry(registry);
        var known = metrics.CreateGauge("gossip_membership_total_peers_known", "Total known peers: the peers of the channel view (alive, of member orgs), not counting this peer.",
            new GaugeConfiguration { LabelNames = ["channel"] });
        var alive = metrics.CreateGauge("gossip_membership_alive_peers", "Peers of the membership view considered alive (all channels), not counting this peer.");
        var dead = metrics.CreateGauge("gossip_membership_dead_peers", "Peers of the membership view declared dead and not yet purged.");
        foreach (var channel in channels)
        {
            known.WithLabels(channel).Set(0);
        }
        registry.AddBeforeCollectCallback(async cancel =>
        {
            try
            {
                var view = await peer.Ask<MembershipSnapshot>(GetMembership.Instance, OperationsServer.CheckTimeout, cancel);
                alive.Set(view.Alive.Count);
                dead.Set(view.Dead.Count);
                foreach (var channel in channels)
                {
                    var status = await peer.Ask<object>(new GetChannelStatus(channel), OperationsServer.CheckTimeout, cancel);
                    if (status is ChannelStatus joined)
                    {
                        known.WithLabels(channel).Set(joined.Peers.Count);
                    }
                }
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                // The peer is not answering: /healthz says so; /metrics keeps serving the last values.
            }
        });
    }

    private static ChannelSummary ToSummary(ChannelStatus status) => new(status.Channel, status.Left, status.Height, status.LastBlockHash,
        status.Peers.ToDictionary(p => p.Id.ToHex(), p => p.Height), status.Counters.BadBlocks, status.Counters.FullCopiesReceived,
        status.IsLeader, status.Leader?.ToHex(), status.LastBlockLatencyMs);

    private static MemberStatus ToStatus(AliveRecord record) => new(record.PkiId.ToHex(), record.Org,
        record.InternalEndpoint.Length > 0 ? record.InternalEndpoint : record.ExternalEndpoint, record.Incarnation, record.Sequence);
}
