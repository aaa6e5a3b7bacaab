using GossipActors.Crypto;

namespace GossipActors.Comm;

/// <summary>
/// The certificates this peer has verified, by PKI-ID. Learned from alive messages, handshakes and peer-identity
/// messages. An expired identity is refused when next used (the guard checks validity) and forgotten when membership
/// purges its peer.
/// </summary>
public sealed class IdentityStore
{
    private readonly Dictionary<PkiId, PeerIdentityInfo> _identities = [];

    public int Count => _identities.Count;

    public void Learn(PeerIdentityInfo identity) => _identities[identity.PkiId] = identity;

    public bool TryGet(PkiId id, out PeerIdentityInfo identity) => _identities.TryGetValue(id, out identity!);

    public bool Remove(PkiId id) => _identities.Remove(id);
}
