using System.Net.Http.Json;
using System.Text.Json;
using GossipActors.Operations;

namespace GossipActors.Node.Network;

/// <summary>
/// GETs nodes' /status with a short timeout: a node that is starting, stopped or slow is reported as null, never as
/// an exception, so a live view or a test can poll every node each round.
/// </summary>
internal sealed class StatusPoller : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="timeout">Longest wait for one node's answer (default 2 s).</param>
    public StatusPoller(TimeSpan? timeout = null) => _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(2) };

    /// <summary>The node's status, or null if it did not answer in time or answered something else.</summary>
    public async Task<PeerStatus?> TryGetAsync(string operationsUrl, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationsUrl);
        try
        {
            return await _http.GetFromJsonAsync<PeerStatus>(new Uri(new Uri(operationsUrl), "/status"), cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Every node with an operations endpoint, polled at once: node name → its status or null.</summary>
    public async Task<IReadOnlyDictionary<string, PeerStatus?>> PollAsync(IEnumerable<NetworkNode> nodes, CancellationToken cancellation = default)
    {
        var polled = nodes.Where(n => n.Operations is not null)
            .Select(async n => (n.Name, Status: await TryGetAsync(n.Operations!, cancellation).ConfigureAwait(false)));
        return (await Task.WhenAll(polled).ConfigureAwait(false)).ToDictionary(p => p.Name, p => p.Status);
    }

    public void Dispose() => _http.Dispose();
}
