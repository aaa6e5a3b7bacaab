using GossipActors.Crypto;

namespace GossipActors.Comm;

/// <summary>
/// The certificates this peer has verified, by PKI-ID. Learned from alive messages, handshakes and peer-identity
/// messages; an identity whose certificate has expired is dropped by <see cref="PurgeExpired"/>.
/// </summary>
public sealed class IdentityStore
{
    private readonly Dictionary<PkiId, PeerIdentityInfo> _identities = [];

    public int Count => _identities.Count;

    public void Learn(PeerIdentityInfo identity) => _identities[identity.PkiId] = identity;

    public bool TryGet(PkiId id, out PeerIdentityInfo identity) => _identities.TryGetValue(id, out identity!);

    public bool Remove(PkiId id) => _identities.Remove(id);

    /// <summary>Removes identities whose certificate is no longer valid at <paramref name="now"/>; returns them.</summary>
    public IReadOnlyList<PeerIdentityInfo> PurgeExpired(DateTimeOffset now)
    {
        var expired = _identities.Values.Where(i => i.Certificate.NotAfter <= now).ToList();
        foreach (var identity in expired)
        {
            _identities.Remove(identity.PkiId);
        }
        return expired;
    }
}
