using Akka.Actor;
using GossipActors.Ordering;
using Prometheus;

namespace GossipActors.Operations;

/// <summary>The orderer's operations content: /status (<see cref="OrdererNodeStatus"/>) and the /healthz checks.</summary>
public static class OrdererOperations
{
    /// <param name="orderer">The orderer actor (answers <see cref="GetOrdererStatus"/>).</param>
    /// <param name="metrics">Its registry; null = no /metrics (orderer.Metrics.Provider = disabled).</param>
    /// <param name="ledgerDirectory">orderer.FileLedger.Location, checked for being writable.</param>
    public static NodeOperations Create(string id, string mspId, ActorSystem system, IActorRef orderer, CollectorRegistry? metrics,
        string ledgerDirectory, LogLevelSwitch logging)
    {
        HealthCheck[] checks =
        [
            NodeChecks.ActorSystem(system),
            new("orderer", async cancel =>
            {
                await orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, OperationsServer.CheckTimeout, cancel);
                return null;
            }),
            NodeChecks.Ledger(ledgerDirectory, "orderer.FileLedger.Location"),
        ];
        return new NodeOperations(checks, async cancel =>
        {
            var status = await orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, OperationsServer.CheckTimeout, cancel);
            return new OrdererNodeStatus(id, mspId,
                [.. status.Heights.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new OrdererChannelStatus(h.Key, h.Value))]);
        }, metrics, logging);
    }
}
