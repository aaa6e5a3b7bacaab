using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// Enhanced push (after Berendea et al., ICDCS 2020): the full block travels pushTtl hops to pushPeerNum random peers
/// each, then only a digest travels digestTtl more hops to digestPeerNum peers each. A peer that hears a digest of a
/// block it lacks asks that sender (once, with a retry to another digest sender after requestWaitTime); a peer
/// asked before it has the block answers when it arrives. Digests are forwarded at once, before the block is
/// fetched, so fetching overlaps the digest wave. TTLs from the wire are clamped to the configured ones, and a peer
/// forwards a block at most once per phase (full block, digest), whatever TTL later copies carry: one member cannot
/// make others forward a block again and again. Links reorder copies, so the first copy a peer sees may be a late
/// hop's and cut its branch of the wave short; the peers that wave misses are found by the gap request (a later block
/// or digest shows a block we never heard of: we ask its sender at once) and by pull. Digests of blocks far beyond
/// any known height are ignored.
/// </summary>
public sealed class EnhancedPush
{
    private readonly ChannelContext _ctx;
    private readonly Dictionary<ulong, BlockRumor> _rumors = [];
    private DateTimeOffset? _nextRetryCheck;
    private DateTimeOffset _nextPrune;

    public EnhancedPush(ChannelContext ctx) => _ctx = ctx;

    /// <summary>How long a peer remembers a block's rumor (forwarded TTLs, pending requests).</summary>
    public TimeSpan RumorRetention =>
        2 * (_ctx.Settings.DigestWaitTime + _ctx.Settings.RequestWaitTime + _ctx.Settings.ResponseWaitTime);

    public int RumorCount => _rumors.Count;

    /// <summary>When <see cref="Tick"/> has a request to retry; null when nothing waits.</summary>
    public DateTimeOffset? NextDue => _nextRetryCheck;

    /// <summary>
    /// The source's first send: the full block to pushPeerNum peers with the full TTLs; or, when the org's other
    /// channel peers are no more than the full copies that push phase would send in all
    /// (<see cref="PushPhaseCopies"/>), to every one of them at once with no push TTL left (digests still follow
    /// as the safety net): one hop instead of pushTtl + 1, and fewer full copies.
    /// </summary>
    public void Originate(DataMessage block, DateTimeOffset now, DisseminationOutput output)
    {
        var s = _ctx.Settings;
        var rumor = RumorOf(block.SeqNum, now);
        rumor.FirstPush();
        var others = _ctx.Peers.Count - (_ctx.Peers.Contains(_ctx.Self) ? 1 : 0);
        if (others <= PushPhaseCopies(s.PushPeerNum, s.PushTtl))
        {
            Forward(ChannelContext.Data(block.SeqNum, block.Block, 0, s.DigestTtl), others, default, output);
            return;
        }
        Forward(ChannelContext.Data(block.SeqNum, block.Block, s.PushTtl, s.DigestTtl), s.PushPeerNum, default, output);
    }

    /// <summary>The most full copies the push phase sends from one source: fanout + fanout² + … over pushTtl + 1 hops.</summary>
    public static long PushPhaseCopies(int fanout, int pushTtl)
    {
        long total = 0;
        long hop = 1;
        for (var i = 0; i <= pushTtl && total < int.MaxValue; i++)
        {
            hop = Math.Min(hop * fanout, int.MaxValue);
            total += hop;
        }
        return total;
    }

    /// <summary>A full block arrived (push or answer to a request); <paramref name="isNew"/> if we lacked it.</summary>
    public void OnData(PkiId from, DataMessage data, bool isNew, DateTimeOffset now, DisseminationOutput output)
    {
        var rumor = RumorOf(data.SeqNum, now);
        if (isNew)
        {
            AnswerWaiting(data, rumor, output);
        }
        var push = _ctx.ClampPush(data.PushTtl);
        var digest = _ctx.ClampDigest(data.DigestTtl);
        var forwarded = false;
        if (push > 0)
        {
            if (rumor.FirstPush())
            {
                Forward(ChannelContext.Data(data.SeqNum, data.Block, push - 1, digest), _ctx.Settings.PushPeerNum, from, output);
                forwarded = true;
            }
        }
        else if (digest > 0 && rumor.FirstDigest())
        {
            ForwardDigest(data.SeqNum, digest - 1, from, output);
            forwarded = true;
        }
        if (!isNew && !forwarded)
        {
            _ctx.Counters.DuplicateBlocks++;
        }
        FillGap(data.SeqNum, from, now, output);
    }

    /// <summary>A digest: fetch the block from its sender if we lack it, and pass the digest on while its TTL lasts.</summary>
    public void OnDigest(PkiId from, DataDigest digest, DateTimeOffset now, DisseminationOutput output)
    {
        var number = digest.SeqNum;
        if (number < _ctx.LedgerHeight && !_ctx.Store.Contains(number))
        {
            _ctx.Counters.DigestsBelowHeight++; // committed long ago: we could not serve it anyway
            return;
        }
        if (_ctx.IsFarBeyondKnownHeight(number))
        {
            _ctx.Counters.DigestsBeyondHeight++; // forged, or we are so far behind that state transfer must do it
            return;
        }
        var rumor = RumorOf(number, now);
        if (!_ctx.Has(number))
        {
            if (rumor.RequestedFrom.IsEmpty)
            {
                Request(number, from, rumor, now, output);
            }
            else
            {
                rumor.AddAlternative(from);
            }
        }
        var ttl = _ctx.ClampDigest(digest.DigestTtl);
        if (ttl > 0 && rumor.FirstDigest())
        {
            ForwardDigest(number, ttl - 1, from, output);
        }
        FillGap(number, from, now, output);
    }

    /// <summary>
    /// Push and digests reach each peer with a fan-out of a few random peers, so now and then a peer hears nothing of
    /// a block (about e^-digestPeerNum of the peers). When a block or its digest arrives and we never heard of the
    /// block before it, we ask the sender for that one at once (it is most likely in its store), with the usual
    /// retries, instead of leaving it to the next pull round, by which time the block may have left every store. Only
    /// a gap right after what we hold or heard of (or the next block to commit); one request per gap: the rumor it
    /// creates makes later arrivals no new gap.
    /// </summary>
    private void FillGap(ulong number, PkiId from, DateTimeOffset now, DisseminationOutput output)
    {
        if (number == 0 || from.IsEmpty)
        {
            return;
        }
        var previous = number - 1;
        if (previous < _ctx.LedgerHeight || _ctx.Has(previous) || _rumors.ContainsKey(previous))
        {
            return;
        }
        var followsWhatWeKnow = previous == _ctx.LedgerHeight
            || (previous > 0 && (_ctx.Has(previous - 1) || _rumors.ContainsKey(previous - 1)));
        if (!followsWhatWeKnow)
        {
            return; // a block out of nowhere (a peer just joined, or far ahead): pull and state transfer's
        }
        _ctx.Counters.GapRequests++;
        Request(previous, from, RumorOf(previous, now), now, output);
    }

    /// <summary>A request for blocks: send those we hold; remember the requester for those we expect.</summary>
    public void OnRequest(PkiId from, DataRequest request, DateTimeOffset now, DisseminationOutput output)
    {
        foreach (var number in request.SeqNums.Take(_ctx.Settings.MaxBlockCountToStore))
        {
            if (_ctx.Store.TryGet(number, out var stored))
            {
                _ctx.Counters.BlocksServed++;
                output.Sends.Add(new GossipSend(from, _ctx.Message(ChannelContext.Data(number, stored.Block, 0, 0))));
            }
            else if (_rumors.TryGetValue(number, out var rumor) && !_ctx.Has(number) && now - rumor.FirstSeen < RumorRetention)
            {
                rumor.AddWaiting(from);
            }
            else
            {
                _ctx.Counters.UnknownBlockRequests++;
            }
        }
    }

    /// <summary>Retries requests that went unanswered for requestWaitTime; forgets old rumors.</summary>
    public void Tick(DateTimeOffset now, DisseminationOutput output)
    {
        if (now >= _nextPrune)
        {
            foreach (var old in _rumors.Where(r => now - r.Value.FirstSeen >= RumorRetention).Select(r => r.Key).ToList())
            {
                _rumors.Remove(old);
            }
            _nextPrune = now + RumorRetention / 2;
        }
        if (_nextRetryCheck is not { } due || now < due)
        {
            return;
        }
        _nextRetryCheck = null;
        var wait = _ctx.Settings.RequestWaitTime;
        foreach (var (number, rumor) in _rumors)
        {
            if (rumor.RequestedFrom.IsEmpty || rumor.RetriesExhausted || _ctx.Has(number))
            {
                continue;
            }
            if (now - rumor.RequestedAt >= wait)
            {
                if (rumor.Alternatives.TryDequeue(out var next))
                {
                    _ctx.Counters.RequestRetries++;
                    Request(number, next, rumor, now, output);
                    continue;
                }
                rumor.RetriesExhausted = true;
                _ctx.Counters.RequestsAbandoned++;
                continue;
            }
            Schedule(rumor.RequestedAt + wait);
        }
    }

    private void Request(ulong number, PkiId from, BlockRumor rumor, DateTimeOffset now, DisseminationOutput output)
    {
        rumor.RequestedFrom = from;
        rumor.RequestedAt = now;
        output.Sends.Add(new GossipSend(from, _ctx.Message(new DataRequest { SeqNums = { number } })));
        Schedule(now + _ctx.Settings.RequestWaitTime);
    }

    private void Schedule(DateTimeOffset at)
    {
        if (_nextRetryCheck is not { } due || at < due)
        {
            _nextRetryCheck = at;
        }
    }

    private void AnswerWaiting(DataMessage data, BlockRumor rumor, DisseminationOutput output)
    {
        if (rumor.Waiting.Count == 0)
        {
            return;
        }
        var answer = _ctx.Message(ChannelContext.Data(data.SeqNum, data.Block, 0, 0));
        foreach (var peer in rumor.Waiting)
        {
            output.Sends.Add(new GossipSend(peer, answer));
        }
        rumor.Waiting.Clear();
    }

    private void ForwardDigest(ulong number, int ttl, PkiId except, DisseminationOutput output)
    {
        var message = _ctx.Message(new DataDigest { SeqNum = number, DigestTtl = (uint)ttl });
        foreach (var peer in _ctx.Peers.SelectRandom(_ctx.Settings.DigestPeerNum, _ctx.Random, _ctx.Self, except))
        {
            output.Sends.Add(new GossipSend(peer, message));
        }
    }

    private void Forward(DataMessage data, int fanOut, PkiId except, DisseminationOutput output)
    {
        var message = _ctx.Message(data);
        foreach (var peer in _ctx.Peers.SelectRandom(fanOut, _ctx.Random, _ctx.Self, except))
        {
            output.Sends.Add(new GossipSend(peer, message));
        }
    }

    private BlockRumor RumorOf(ulong number, DateTimeOffset now)
    {
        if (!_rumors.TryGetValue(number, out var rumor))
        {
            rumor = new BlockRumor(now);
            _rumors[number] = rumor;
        }
        return rumor;
    }
}
