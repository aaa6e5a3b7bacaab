using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace GossipActors.Operations;

/// <summary>
/// What a node (peer or orderer) serves on its operations endpoint; <see cref="OperationsServer"/> serves it the same
/// way for both. Built by <see cref="PeerOperations"/> and <see cref="OrdererOperations"/>.
/// </summary>
/// <param name="Checks">The /healthz checks, all run on each request.</param>
/// <param name="Status">The /status document (serialised as JSON, camelCase); docs/operations.md is its schema.</param>
/// <param name="Metrics">The registry served at /metrics; null = no /metrics (metrics.provider = disabled).</param>
/// <param name="Logging">The run-time log level served at /logspec.</param>
/// <param name="Routes">Maps the node kind's own endpoints (a peer's /blocks), or null.</param>
public sealed record NodeOperations(
    IReadOnlyList<HealthCheck> Checks,
    Func<CancellationToken, Task<object>> Status,
    CollectorRegistry? Metrics,
    LogLevelSwitch Logging,
    Action<IEndpointRouteBuilder>? Routes = null);
