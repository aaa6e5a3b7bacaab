using System.Text.Json.Serialization;

namespace GossipActors.Operations;

/// <summary>
/// One check of GET /healthz: <paramref name="Probe"/> returns null while <paramref name="Component"/> serves, or the
/// reason it does not. A probe that throws or takes longer than the endpoint's timeout fails with that as its reason.
/// </summary>
public sealed record HealthCheck(string Component, Func<CancellationToken, Task<string?>> Probe);

/// <summary>A failed check in the /healthz body (Fabric's field names).</summary>
public sealed record FailedCheck(
    [property: JsonPropertyName("component")] string Component,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>
/// The body of GET /healthz, as Fabric's operations service writes it: <c>{"status":"OK","time":...}</c> with 200, or
/// <c>{"status":"Service Unavailable","time":...,"failed_checks":[{"component","reason"}]}</c> with 503.
/// </summary>
public sealed record HealthStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("failed_checks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FailedCheck>? FailedChecks)
{
    public const string Ok = "OK";
    public const string Unavailable = "Service Unavailable";
}
