using GossipActors.Crypto;

namespace GossipActors.Comm;

/// <summary>
/// Test seam: drops traffic to and from chosen peers, so one actor system can script partitions and crashes.
/// Matches a peer by PKI-ID or by endpoint. Dropped traffic is counted, not rejected.
/// </summary>
public sealed class FaultFilter
{
    private readonly HashSet<PkiId> _blockedPeers = [];
    private readonly HashSet<string> _blockedEndpoints = new(StringComparer.Ordinal);

    public bool IsEmpty => _blockedPeers.Count == 0 && _blockedEndpoints.Count == 0;

    public void Block(PkiId peer) => _blockedPeers.Add(peer);
    public void Block(string endpoint) => _blockedEndpoints.Add(endpoint);
    public void Unblock(PkiId peer) => _blockedPeers.Remove(peer);
    public void Unblock(string endpoint) => _blockedEndpoints.Remove(endpoint);

    public void Clear()
    {
        _blockedPeers.Clear();
        _blockedEndpoints.Clear();
    }

    public bool Drops(PkiId? peer, string? endpoint) =>
        (peer is { } id && _blockedPeers.Contains(id)) || (endpoint is not null && _blockedEndpoints.Contains(endpoint));
}
