namespace GossipActors.Comm;

/// <param name="MaxMessageSize">Envelopes larger than this (bytes) are rejected before parsing.</param>
/// <param name="SendQueueSize">Per-peer queue of envelopes waiting to be sent; when full the oldest is dropped.</param>
/// <param name="SendWindow">Envelopes in flight to one peer before waiting for its acknowledgement.</param>
/// <param name="ResolveTimeout">How long resolving a peer's comm actor may take before the send counts as failed.</param>
/// <param name="AckTimeout">With envelopes in flight and no acknowledgement for this long, they are written off; a
/// handshake unanswered for this long is sent again.</param>
/// <param name="ReceiveBufferSize">peer.gossip.recvBuffSize: envelopes waiting to be read from one connection; beyond
/// it they are dropped and counted.</param>
/// <param name="MaxConnections">peer.gossip.comm.maxConnections: connections with envelopes waiting, outbound links,
/// and pending handshakes, each at most this many.</param>
/// <param name="MaxSessions">peer.gossip.comm.maxSessions: authenticated sessions held (least recently active evicted).</param>
/// <param name="MaxIdentitiesPerOrg">peer.gossip.comm.maxIdentitiesPerOrg: verified certificates kept per org (an
/// org that mints many identities evicts only its own).</param>
public sealed record CommSettings(int MaxMessageSize, int SendQueueSize, int SendWindow, TimeSpan ResolveTimeout, TimeSpan AckTimeout,
    int ReceiveBufferSize = 20, int MaxConnections = 256, int MaxSessions = 1024, int MaxIdentitiesPerOrg = 1000)
{
    public static CommSettings Default { get; } = new(8 * 1024 * 1024, 200, 64, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));

    /// <summary>Membership requests awaiting their response, at most; older ones are given up.</summary>
    public int MaxOutstandingRequests => MaxConnections;
}
