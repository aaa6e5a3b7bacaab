using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// The digest pull of state info. A request names the highest height the requester knows and one range of the ring
/// of PKI-IDs with the requester's (position, incarnation, sequence) for at most <see cref="MaxDigestEntries"/> of its
/// entries; the answer carries the responder's own state info and the highest it knows when they are above that
/// height (so a peer behind learns a higher height from any responder), then the range's entries the requester lacks
/// or holds older, at most <see cref="MaxRangeAnswer"/>, and where the next range starts. Requests and answers are
/// bounded whatever the channel's size; the requester walks the ring one range per pull, so every entry is offered
/// to it once per ⌈N / 32⌉ pulls (125 s at N = 1,000 with requestStateInfoInterval 4 s, within the 400 s retention).
/// </summary>
public sealed partial class ChannelMembership
{
    /// <summary>The most of its entries a requester lists in one request (about 20 bytes each on the wire).</summary>
    public const int MaxDigestEntries = 32;

    /// <summary>The most entries of the requested range one answer carries.</summary>
    public const int MaxRangeAnswer = 32;

    /// <summary>The most elements an answer can carry: the range's, the responder's own and the highest it knows.</summary>
    public const int MaxAnswerEntries = MaxRangeAnswer + 2;

    private readonly StateInfoRing _ring = new();
    private ulong _cursor;
    private PkiId _highest;

    /// <summary>The most state infos a snapshot can usefully carry.</summary>
    public int MaxSnapshotEntries => MaxAnswerEntries;

    /// <summary>Where our next digest pull's range starts (advanced by each accepted answer).</summary>
    public ulong PullCursor => _cursor;

    private StateInfoPullRequest DigestRequest(ulong nonce)
    {
        var request = new StateInfoPullRequest
        {
            Nonce = nonce,
            KnownHeight = Math.Max(_ownHeight, Peers.MaxHeight),
            RangeStart = _cursor,
            RangeEnd = _cursor, // the whole ring, unless we hold more than MaxDigestEntries
        };
        foreach (var id in _ring.From(_cursor))
        {
            if (request.Known.Count == MaxDigestEntries)
            {
                request.RangeEnd = StateInfoRing.Position(id);
                break;
            }
            var fact = _states[id].Fact;
            request.Known.Add(new StateInfoDigestEntry
            {
                Position = StateInfoRing.Position(id),
                Timestamp = new Protocol.Wire.PeerTime { IncNum = fact.Incarnation, SeqNum = fact.Sequence },
            });
        }
        return request;
    }

    /// <summary>
    /// Our answer to a digest pull from a peer of <paramref name="requesterOrg"/>: <paramref name="own"/> (our last
    /// signed state info) and the highest state info we hold when above the requester's known height, then the
    /// range's entries it lacks or holds older, in ring order, at most <see cref="MaxRangeAnswer"/>. Disclosure as
    /// Fabric's: our org hears everything; another org only of its own peers and of our org's peers that have an
    /// external endpoint, and only if we have one; nothing about a third org. Expired entries are left out.
    /// </summary>
    public StateInfoSnapshot Answer(StateInfoPullRequest request, string requesterOrg, SignedEnvelope? own, DateTimeOffset now)
    {
        var answer = new StateInfoSnapshot { Nonce = request.Nonce, NextStart = request.RangeEnd };
        if (requesterOrg != SelfOrg && !SelfExternal)
        {
            return answer;
        }
        var known = new Dictionary<ulong, (ulong Inc, ulong Seq)>();
        foreach (var entry in request.Known.Take(MaxDigestEntries))
        {
            known[entry.Position] = entry.Timestamp is { } t ? (t.IncNum, t.SeqNum) : (0, 0);
        }
        bool Lacks(PkiId id, ulong inc, ulong seq) =>
            StateInfoRing.InRange(StateInfoRing.Position(id), request.RangeStart, request.RangeEnd)
            && (!known.TryGetValue(StateInfoRing.Position(id), out var held) || (inc, seq).CompareTo(held) > 0);

        if (own is not null && _lastPublished is not null
            && (_publishedHeight > request.KnownHeight || Lacks(Self, Incarnation, _sequence)))
        {
            answer.Elements.Add(own);
        }
        PkiId highest = default;
        if (Disclosed(_highest, requesterOrg, now) is { } top && top.Fact.LedgerHeight > request.KnownHeight)
        {
            highest = _highest;
            answer.Elements.Add(top.Envelope);
        }
        var sent = 0;
        foreach (var id in _ring.Range(request.RangeStart, request.RangeEnd))
        {
            if (id == highest || Disclosed(id, requesterOrg, now) is not { } entry
                || !Lacks(id, entry.Fact.Incarnation, entry.Fact.Sequence))
            {
                continue;
            }
            if (sent == MaxRangeAnswer)
            {
                answer.NextStart = StateInfoRing.Position(id);
                break;
            }
            answer.Elements.Add(entry.Envelope);
            sent++;
        }
        return answer;
    }

    /// <summary>Whether a snapshot from <paramref name="from"/> answers our pending pull; consumes the nonce (one
    /// response per request) and moves our next range to where the answer says.</summary>
    public bool AcceptsSnapshot(PkiId from, StateInfoSnapshot snapshot)
    {
        if (!AcceptsSnapshot(from, snapshot.Nonce))
        {
            return false;
        }
        _cursor = snapshot.NextStart;
        return true;
    }

    /// <summary>The held entry of <paramref name="id"/> with its envelope, if it is unexpired and may be disclosed
    /// to a peer of <paramref name="requesterOrg"/>.</summary>
    private (StateInfoFact Fact, SignedEnvelope Envelope)? Disclosed(PkiId id, string requesterOrg, DateTimeOffset now)
    {
        if (id.IsEmpty || !_states.TryGetValue(id, out var entry) || entry.Envelope is null
            || now - entry.ReceivedAt >= _settings.RetentionInterval)
        {
            return null;
        }
        var org = entry.Fact.Org;
        var disclosed = requesterOrg == SelfOrg || org == requesterOrg
            || (org == SelfOrg && _alive.TryGetValue(id, out var peer) && peer.External);
        return disclosed ? (entry.Fact, entry.Envelope) : null;
    }

    private void Track(PkiId id, StateInfoFact fact)
    {
        _ring.Add(id);
        if (_highest.IsEmpty || !_states.TryGetValue(_highest, out var top) || fact.LedgerHeight >= top.Fact.LedgerHeight)
        {
            _highest = id;
        }
    }

    private void Untrack(PkiId id)
    {
        _ring.Remove(id);
        if (_highest == id)
        {
            _highest = default;
        }
    }
}
