namespace GossipActors.Comm;

/// <param name="MaxMessageSize">Envelopes larger than this (bytes) are rejected before parsing.</param>
/// <param name="SendQueueSize">Per-peer queue of envelopes waiting to be sent; when full the oldest is dropped.</param>
/// <param name="SendWindow">Envelopes in flight to one peer before waiting for its acknowledgement.</param>
/// <param name="ResolveTimeout">How long resolving a peer's comm actor may take before the send counts as failed.</param>
/// <param name="AckTimeout">With envelopes in flight and no acknowledgement for this long, they are written off.</param>
public sealed record CommSettings(int MaxMessageSize, int SendQueueSize, int SendWindow, TimeSpan ResolveTimeout, TimeSpan AckTimeout)
{
    public static CommSettings Default { get; } = new(8 * 1024 * 1024, 200, 64, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
}
