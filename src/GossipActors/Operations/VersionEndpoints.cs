using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GossipActors.Operations;

/// <summary>
/// The parts of Fabric's operations service that every node serves alike: <c>GET /version</c> and
/// <c>GET</c>/<c>PUT /logspec</c> (body <c>{"spec": "gossip=debug:info"}</c>, Fabric's FABRIC_LOGGING_SPEC syntax;
/// 204 when applied, 400 naming the bad term otherwise).
/// </summary>
public static class VersionEndpoints
{
    /// <summary>The JSON of GET /version; Fabric's field names where it has them.</summary>
    public sealed record VersionInfo(
        [property: JsonPropertyName("Version")] string Version,
        [property: JsonPropertyName("CommitSHA")] string CommitSHA,
        [property: JsonPropertyName("RuntimeVersion")] string RuntimeVersion);

    /// <summary>The JSON of GET /logspec and the body of PUT /logspec.</summary>
    public sealed record LogSpecBody(string? Spec);

    /// <summary>The error of a refused PUT /logspec.</summary>
    public sealed record ErrorBody(string Error);

    public static VersionInfo Version { get; } = ReadVersion();

    public static void Map(WebApplication app, LogLevelSwitch logging)
    {
        app.MapGet("/version", () => Results.Json(Version));
        app.MapGet("/logspec", () => Results.Json(new LogSpecBody(logging.Current.Text)));
        app.MapPut("/logspec", async (HttpContext context) =>
        {
            LogSpecBody? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<LogSpecBody>(context.RequestAborted);
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }
            if (body?.Spec is null)
            {
                return Results.Json(new ErrorBody("the body must be JSON: {\"spec\": \"<FABRIC_LOGGING_SPEC>\"}"), statusCode: 400);
            }
            return logging.TryApply(body.Spec, out var error)
                ? Results.NoContent()
                : Results.Json(new ErrorBody(error), statusCode: 400);
        });
    }

    private static VersionInfo ReadVersion()
    {
        var assembly = typeof(VersionEndpoints).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "development build" : informational[(plus + 1)..];
        return new VersionInfo(version, commit, Environment.Version.ToString());
    }
}
