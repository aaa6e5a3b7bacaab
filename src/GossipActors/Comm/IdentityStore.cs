using GossipActors.Crypto;

namespace GossipActors.Comm;

/// <summary>
/// The certificates this peer has verified, by PKI-ID. Learned from alive messages, handshakes and peer-identity
/// messages. An expired identity is refused when next used (the guard checks validity) and forgotten when membership
/// purges its peer. Bounded per org: an org that presents more than <c>maxPerOrg</c> identities (its CA can mint any
/// number) evicts its own least recently learned one, never another org's.
/// </summary>
public sealed class IdentityStore(int maxPerOrg = int.MaxValue)
{
    private readonly Dictionary<PkiId, (PeerIdentityInfo Identity, long Learned)> _identities = [];
    private readonly Dictionary<string, int> _perOrg = new(StringComparer.Ordinal);
    private long _clock;

    public int Count => _identities.Count;

    /// <summary>Learns (or refreshes) an identity; returns the PKI-ID it evicted to stay within its org's bound, if any.</summary>
    public PkiId? Learn(PeerIdentityInfo identity)
    {
        if (_identities.ContainsKey(identity.PkiId))
        {
            _identities[identity.PkiId] = (identity, ++_clock);
            return null;
        }
        PkiId? evicted = null;
        if (_perOrg.GetValueOrDefault(identity.MspId) >= maxPerOrg)
        {
            var oldest = _identities.Values.Where(e => e.Identity.MspId == identity.MspId).MinBy(e => e.Learned).Identity.PkiId;
            Remove(oldest);
            evicted = oldest;
        }
        _identities[identity.PkiId] = (identity, ++_clock);
        _perOrg[identity.MspId] = _perOrg.GetValueOrDefault(identity.MspId) + 1;
        return evicted;
    }

    public bool TryGet(PkiId id, out PeerIdentityInfo identity)
    {
        var found = _identities.TryGetValue(id, out var entry);
        identity = entry.Identity;
        return found;
    }

    public bool Remove(PkiId id)
    {
        if (!_identities.Remove(id, out var entry))
        {
            return false;
        }
        var left = _perOrg[entry.Identity.MspId] - 1;
        if (left == 0)
        {
            _perOrg.Remove(entry.Identity.MspId);
        }
        else
        {
            _perOrg[entry.Identity.MspId] = left;
        }
        return true;
    }
}
