using System.CommandLine;
using System.Net.Http.Json;
using GossipActors.Operations;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node status --ops URL</c>: fetches a node's /status and prints it for a person: identity, membership,
/// and per channel its height, last block hash, leader and peers' heights. Exit codes: 0 printed, 1 the node did not
/// answer or answered something that is not its status.
/// </summary>
internal static class StatusCommand
{
    public const int Ok = 0;
    public const int Unavailable = 1;

    public static Command Create()
    {
        var ops = new Option<string>("--ops") { Description = "The node's operations address, e.g. http://127.0.0.1:9443", Required = true };
        var command = new Command("status", "Show a running node's /status, readable.") { ops };
        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var address = parse.GetValue(ops)!;
            if (!Uri.TryCreate(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address, UriKind.Absolute, out var baseUri))
            {
                await stderr.WriteLineAsync($"--ops \"{address}\" is not an address; expected http://host:port");
                return Unavailable;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            PeerStatus? status;
            try
            {
                status = await http.GetFromJsonAsync<PeerStatus>(new Uri(baseUri, "/status"), cancellation);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
            {
                await stderr.WriteLineAsync($"no status from {baseUri}: {ex.Message}");
                return Unavailable;
            }
            if (status is null)
            {
                await stderr.WriteLineAsync($"no status from {baseUri}: empty answer");
                return Unavailable;
            }
            await stdout.WriteAsync(StatusText.Format(status));
            return Ok;
        });
        return command;
    }
}
