namespace GossipActors.Configuration;

/// <summary>How blocks spread through a channel (peer.gossip.dissemination.mode).</summary>
public enum DisseminationMode
{
    /// <summary>Push with a TTL, then digests, then fetch on demand (Berendea et al., ICDCS 2020).</summary>
    Enhanced,

    /// <summary>Fabric's push to propagatePeerNum peers, with pull as the safety net.</summary>
    Fabric,
}
