using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// The digest pull of state info. A request names the highest height the requester knows and one range of the ring
/// of PKI-IDs with the requester's (position, incarnation, sequence) for its entries in the range; the answer carries
/// the responder's own state info and the highest it knows when they are above that height (so a peer behind learns
/// a higher height from any responder), then the range's entries the requester lacks or holds older, and where the
/// next range starts. Two regimes:
/// <list type="bullet">
/// <item>Steady state: at most <see cref="MaxDigestEntries"/> digest entries and <see cref="MaxRangeAnswer"/> range
/// entries, whatever the channel's size: the requester walks the ring one range per pull.</item>
/// <item>Warm-up (fill): a requester that just started, or to which many peers it holds no state info of appeared at
/// once (more than <see cref="MaxRangeAnswer"/> in one membership update), sets <c>fill</c>: its digest lists up to
/// <see cref="MaxFillDigestEntries"/> entries and the answer carries what it lacks up to
/// <see cref="MaxFillAnswerBytes"/>, so a view of ~1,500 peers fills in one pull from a peer that has it; it pulls
/// <see cref="FillPullsPerInterval"/> times per requestStateInfoInterval. Filling ends on proof: when it holds a state
/// info of every alive peer it may exchange state info with, or when answers marked complete (the responder is not
/// filling and left nothing of the range out) cover the whole ring. <see cref="MaxFillPulls"/> answered fill pulls
/// end it anyway, as a safety bound. Filling a view is O(N) once per joining peer; it is not per block.</item>
/// </list>
/// </summary>
public sealed partial class ChannelMembership
{
    /// <summary>The most of its entries a requester lists in one request (about 20 bytes each on the wire).</summary>
    public const int MaxDigestEntries = 32;

    /// <summary>The most entries of the requested range one answer carries.</summary>
    public const int MaxRangeAnswer = 32;

    /// <summary>The most elements an answer can carry: the range's, the responder's own and the highest it knows.</summary>
    public const int MaxAnswerEntries = MaxRangeAnswer + 2;

    /// <summary>The most of its entries a filling requester lists in one request (about 25 bytes each: ~100 KiB).</summary>
    public const int MaxFillDigestEntries = 4096;

    /// <summary>The most bytes of signed state infos an answer to a fill carries (well under the frame size).</summary>
    public const int MaxFillAnswerBytes = 256 * 1024;

    /// <summary>The most elements an answer to a fill can carry (a signed state info is well above 64 bytes).</summary>
    public const int MaxFillAnswerEntries = MaxFillAnswerBytes / 64;

    /// <summary>The most answered fill pulls before filling ends anyway.</summary>
    public const int MaxFillPulls = 16;

    /// <summary>While filling, a peer pulls this many times per requestStateInfoInterval.</summary>
    public const int FillPullsPerInterval = 4;

    private readonly StateInfoRing _ring = new();
    private ulong _cursor;
    private PkiId _highest;
    /// <summary>The most requesters whose last fill answer we remember (<see cref="MayAnswerFill"/>).</summary>
    public const int MaxFillRequesters = 4096;

    private readonly Dictionary<PkiId, DateTimeOffset> _fillAnswered = [];
    private bool _filling = true;
    private int _fillPulls;
    private ulong? _provenFrom;
    private ulong _provenTo;
    private int _snapshotLimit = MaxAnswerEntries;

    /// <summary>The most state infos the snapshot just accepted (<see cref="AcceptsSnapshot(PkiId, StateInfoSnapshot)"/>)
    /// may carry: more when it answers a fill.</summary>
    public int MaxSnapshotEntries => _snapshotLimit;

    /// <summary>True while our view is filling (warm-up): our pulls ask for large answers bounded by bytes.</summary>
    public bool Filling => _filling;

    /// <summary>Where our next digest pull's range starts (advanced by each accepted answer).</summary>
    public ulong PullCursor => _cursor;

    private StateInfoPullRequest DigestRequest(ulong nonce)
    {
        var request = new StateInfoPullRequest
        {
            Nonce = nonce,
            KnownHeight = Math.Max(_ownHeight, Peers.MaxHeight),
            RangeStart = _cursor,
            RangeEnd = _cursor, // the whole ring, unless we hold more than the digest's bound
            Fill = _filling,
        };
        var bound = _filling ? MaxFillDigestEntries : MaxDigestEntries;
        foreach (var id in _ring.From(_cursor))
        {
            if (request.Known.Count == bound)
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
    /// range's entries it lacks or holds older, in ring order, at most <see cref="MaxRangeAnswer"/> (answering a fill:
    /// as many as fit in <see cref="MaxFillAnswerBytes"/>, from a digest of at most <see cref="MaxFillDigestEntries"/>). Disclosure as
    /// Fabric's: our org hears everything; another org only of its own peers and of our org's peers that have an
    /// external endpoint, and only if we have one; nothing about a third org. Expired entries are left out.
    /// </summary>
    public StateInfoSnapshot Answer(StateInfoPullRequest request, string requesterOrg, SignedEnvelope? own, DateTimeOffset now,
        PkiId? requester = null)
    {
        var answer = new StateInfoSnapshot { Nonce = request.Nonce, NextStart = request.RangeEnd };
        if (requesterOrg != SelfOrg && !SelfExternal)
        {
            return answer;
        }
        var fill = request.Fill && (requester is not { } who || MayAnswerFill(who, now));
        var known = new Dictionary<ulong, (ulong Inc, ulong Seq)>();
        foreach (var entry in request.Known.Take(fill ? MaxFillDigestEntries : MaxDigestEntries))
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
        var bytes = answer.Elements.Sum(e => e.CalculateSize());
        var leftOut = false;
        foreach (var id in _ring.Range(request.RangeStart, request.RangeEnd))
        {
            if (id == highest)
            {
                continue;
            }
            if (Disclosed(id, requesterOrg, now) is not { } entry)
            {
                leftOut |= Withheld(id, requesterOrg, now, Lacks);
                continue;
            }
            if (!Lacks(id, entry.Fact.Incarnation, entry.Fact.Sequence))
            {
                continue;
            }
            var size = entry.Envelope.CalculateSize();
            var full = fill ? bytes + size > MaxFillAnswerBytes || sent == MaxFillAnswerEntries - 2 : sent == MaxRangeAnswer;
            if (full)
            {
                answer.NextStart = StateInfoRing.Position(id);
                leftOut = true;
                break;
            }
            answer.Elements.Add(entry.Envelope);
            bytes += size;
            sent++;
        }
        answer.Complete = !leftOut && !_filling;
        return answer;
    }

    /// <summary>Whether we hold an unexpired state info of <paramref name="id"/> that the requester lacks but that our
    /// disclosure rules keep from a peer of <paramref name="requesterOrg"/>: then our answer is not complete.</summary>
    private bool Withheld(PkiId id, string requesterOrg, DateTimeOffset now, Func<PkiId, ulong, ulong, bool> lacks) =>
        _states.TryGetValue(id, out var entry) && entry.Envelope is not null && !IsExpired(id, entry.ReceivedAt, now)
        && requesterOrg != SelfOrg && lacks(id, entry.Fact.Incarnation, entry.Fact.Sequence);

    /// <summary>
    /// A fill answer is up to <see cref="MaxFillAnswerBytes"/> for a small request, so one requester gets at most one
    /// per half of its own fill cadence; faster fill requests (a member replaying them to make us send) get the
    /// steady-state answer. The map holds at most <see cref="MaxFillRequesters"/> requesters, stale ones pruned first.
    /// </summary>
    private bool MayAnswerFill(PkiId requester, DateTimeOffset now)
    {
        var spacing = _settings.RequestInterval / (FillPullsPerInterval * 2);
        if (_fillAnswered.TryGetValue(requester, out var last) && now - last < spacing)
        {
            return false;
        }
        if (_fillAnswered.Count >= MaxFillRequesters)
        {
            foreach (var stale in _fillAnswered.Where(e => now - e.Value >= spacing).Select(e => e.Key).ToList())
            {
                _fillAnswered.Remove(stale);
            }
            if (_fillAnswered.Count >= MaxFillRequesters)
            {
                return false;
            }
        }
        _fillAnswered[requester] = now;
        return true;
    }

    /// <summary>Whether a snapshot from <paramref name="from"/> answers our pending pull; consumes the nonce (one
    /// response per request) and moves our next range to where the answer says.</summary>
    public bool AcceptsSnapshot(PkiId from, StateInfoSnapshot snapshot)
    {
        var request = _pendingPull?.Request;
        if (request is null || !AcceptsSnapshot(from, snapshot.Nonce))
        {
            return false;
        }
        _snapshotLimit = request.Fill ? MaxFillAnswerEntries : MaxAnswerEntries;
        _cursor = snapshot.NextStart;
        if (request.Fill)
        {
            _fillPulls++;
        }
        if (_filling && Covers(request, snapshot))
        {
            _filling = false; // proven: we lack nothing the responders know
        }
        return true;
    }

    /// <summary>
    /// Whether complete answers (<see cref="StateInfoSnapshot.Complete"/>) to consecutive requests now cover the
    /// whole ring: one to a request for the whole ring, or a chain of them, each starting where the last one ended,
    /// that came back round to where the chain began. Any answer that left something out breaks the chain.
    /// </summary>
    private bool Covers(StateInfoPullRequest request, StateInfoSnapshot snapshot)
    {
        if (!snapshot.Complete || snapshot.NextStart != request.RangeEnd)
        {
            _provenFrom = null;
            return false;
        }
        if (request.RangeStart == request.RangeEnd)
        {
            return true;
        }
        if (_provenFrom is not { } from || _provenTo != request.RangeStart)
        {
            _provenFrom = request.RangeStart;
            _provenTo = request.RangeEnd;
            return false;
        }
        _provenTo = request.RangeEnd;
        return request.RangeEnd == from || StateInfoRing.InRange(from, request.RangeStart, request.RangeEnd);
    }

    /// <summary>
    /// Called before each pull: filling ends once we hold a state info of every peer we may exchange state info
    /// with (every alive peer of a member org that joined the channel). It also ends as soon as an answer proves we
    /// lack nothing the responders know (<see cref="Covers"/>), which is how it ends when some alive peers never
    /// joined the channel; <see cref="MaxFillPulls"/> answered fill pulls are only a safety bound (responders that are
    /// all filling themselves, or that never answer complete).
    /// </summary>
    private void CheckFill()
    {
        if (_filling && (_fillPulls >= MaxFillPulls || _targets.Peers.All(p => _states.ContainsKey(p.Id))))
        {
            _filling = false;
        }
    }

    /// <summary>Starts filling again (many unknown peers appeared at once, e.g. a partition healed).</summary>
    private void StartFill()
    {
        _filling = true;
        _fillPulls = 0;
        _provenFrom = null;
    }

    /// <summary>The held entry of <paramref name="id"/> with its envelope, if it is unexpired and may be disclosed
    /// to a peer of <paramref name="requesterOrg"/>.</summary>
    private (StateInfoFact Fact, SignedEnvelope Envelope)? Disclosed(PkiId id, string requesterOrg, DateTimeOffset now)
    {
        if (id.IsEmpty || !_states.TryGetValue(id, out var entry) || entry.Envelope is null
            || IsExpired(id, entry.ReceivedAt, now))
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
