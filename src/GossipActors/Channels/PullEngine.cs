using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// Pull, the safety net of both modes. Every pullInterval we send a hello with a fresh nonce to pullPeerNum random
/// channel peers; they answer with a digest of the blocks they hold under that nonce; digestWaitTime after the
/// hellos we request what we lack, each block from one random peer that offered it; the responses are accepted for
/// responseWaitTime. As responder we remember the nonce of each peer's latest hello for requestWaitTime (one per
/// peer: the pending nonces are bounded by the channel's peers) and serve requests only under such a nonce. Anything
/// under a nonce we did not issue is ignored and counted. One digest adds at most maxBlockCountToStore offers (a
/// responder holds no more), none far beyond the highest known height.
/// </summary>
public sealed class PullEngine
{
    private readonly ChannelContext _ctx;
    private readonly Dictionary<PkiId, (ulong Nonce, DateTimeOffset Expires)> _incoming = [];
    private DateTimeOffset? _nextRoundAt;
    private Round? _round;

    public PullEngine(ChannelContext ctx) => _ctx = ctx;

    /// <summary>The next instant <see cref="Tick"/> has work (a round to start, digests to process, a round to end).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            var due = _nextRoundAt;
            var roundDue = _round?.ResponseDeadline ?? _round?.DigestDeadline;
            return roundDue is { } r && (due is null || r < due) ? r : due;
        }
    }

    public int IncomingNonces => _incoming.Count;

    public void Tick(DateTimeOffset now, DisseminationOutput output)
    {
        if (_round is { ResponseDeadline: null } collecting && now >= collecting.DigestDeadline)
        {
            RequestMissing(collecting, now, output);
        }
        if (_round is { ResponseDeadline: { } end } && now >= end)
        {
            _round = null;
        }
        if (_nextRoundAt is null)
        {
            // Spread the peers' rounds over the interval so they do not all pull at once.
            _nextRoundAt = now + _ctx.Settings.PullInterval * _ctx.Random.NextDouble();
        }
        if (now >= _nextRoundAt)
        {
            StartRound(now, output);
            _nextRoundAt = Discovery.Cadence.Next(_nextRoundAt, now, _ctx.Settings.PullInterval);
        }
        ForgetExpiredNonces(now);
    }

    /// <summary>A hello: answer with the numbers we hold at or above the requester's reported height.</summary>
    public void OnHello(PkiId from, GossipHello hello, DateTimeOffset now, DisseminationOutput output)
    {
        if (!_incoming.ContainsKey(from) && _incoming.Count >= MaxIncomingNonces)
        {
            ForgetExpiredNonces(now);
            if (_incoming.Count >= MaxIncomingNonces)
            {
                _ctx.Counters.IncomingNoncesDropped++;
                return;
            }
        }
        _incoming[from] = (hello.Nonce, now + _ctx.Settings.RequestWaitTime); // a peer's newer hello replaces its older one
        _ctx.Counters.HellosAnswered++;
        var theirHeight = _ctx.Peers.HeightOf(from);
        var digest = new PullDigest { Nonce = hello.Nonce, MsgType = PullMsgType.BlockMsg };
        digest.Digests.AddRange(_ctx.Store.Numbers.Where(n => n >= theirHeight).Select(BlockDigests.Encode));
        output.Sends.Add(new GossipSend(from, Wrap(new GossipMessage { PullDigest = digest })));
    }

    /// <summary>A digest answering our hello: note who offers which blocks we lack.</summary>
    public void OnDigest(PkiId from, PullDigest digest)
    {
        if (_round is not { ResponseDeadline: null } round || !round.Nonces.TryGetValue(digest.Nonce, out var peer) || peer != from)
        {
            _ctx.Counters.UnknownNonce++;
            return;
        }
        var limit = _ctx.Settings.MaxBlockCountToStore;
        if (digest.Digests.Count > limit)
        {
            _ctx.Counters.PullOffersBeyondBound += digest.Digests.Count - limit;
        }
        foreach (var entry in digest.Digests.Take(limit))
        {
            if (!BlockDigests.TryDecode(entry, out var number))
            {
                _ctx.Counters.MalformedDigests++;
            }
            else if (number < _ctx.LedgerHeight)
            {
                _ctx.Counters.DigestsBelowHeight++;
            }
            else if (_ctx.IsFarBeyondKnownHeight(number))
            {
                _ctx.Counters.PullOffersBeyondBound++;
            }
            else if (!_ctx.Store.Contains(number))
            {
                if (!round.Offers.TryGetValue(number, out var owners))
                {
                    round.Offers[number] = owners = [];
                }
                if (!owners.Contains(from))
                {
                    owners.Add(from);
                }
            }
        }
    }

    /// <summary>A request under a nonce we gave out in a digest: send the blocks we hold.</summary>
    public void OnRequest(PkiId from, PullRequest request, DateTimeOffset now, DisseminationOutput output)
    {
        if (!_incoming.TryGetValue(from, out var entry) || entry.Nonce != request.Nonce || now >= entry.Expires)
        {
            _ctx.Counters.UnknownIncomingNonce++;
            return;
        }
        var response = new PullResponse { Nonce = request.Nonce, MsgType = PullMsgType.BlockMsg };
        foreach (var digest in request.Digests.Take(_ctx.Settings.MaxBlockCountToStore))
        {
            if (BlockDigests.TryDecode(digest, out var number) && _ctx.Store.TryGet(number, out var stored))
            {
                _ctx.Counters.BlocksServed++;
                var data = ChannelContext.Data(number, stored.Block, 0, 0);
                response.Elements.Add(EnvelopeCodec.Unsigned(_ctx.Message(data)));
            }
        }
        if (response.Elements.Count > 0)
        {
            output.Sends.Add(new GossipSend(from, Wrap(new GossipMessage { PullRes = response })));
        }
    }

    /// <summary>Whether a response from <paramref name="from"/> under <paramref name="nonce"/> is one we wait for.</summary>
    public bool AcceptsResponse(PkiId from, ulong nonce)
    {
        if (_round is { ResponseDeadline: not null } round && round.Nonces.TryGetValue(nonce, out var peer) && peer == from)
        {
            return true;
        }
        _ctx.Counters.UnknownNonce++;
        return false;
    }

    /// <summary>Whether we asked <paramref name="from"/> for block <paramref name="number"/> in the current round.</summary>
    public bool Requested(PkiId from, ulong number) =>
        _round is { ResponseDeadline: not null } round && round.Requested.Contains((from, number));

    /// <summary>The data messages inside a pull response's envelopes; malformed elements are left out.</summary>
    public static List<DataMessage> BlocksOf(PullResponse response)
    {
        var blocks = new List<DataMessage>(response.Elements.Count);
        foreach (var envelope in response.Elements)
        {
            if (EnvelopeCodec.TryParsePayload(envelope, out var message, out _) && message!.DataMsg is { } data)
            {
                blocks.Add(data);
            }
        }
        return blocks;
    }

    private void StartRound(DateTimeOffset now, DisseminationOutput output)
    {
        var round = new Round(now + _ctx.Settings.DigestWaitTime);
        foreach (var peer in _ctx.Peers.SelectRandom(_ctx.Settings.PullPeerNum, _ctx.Random, _ctx.Self))
        {
            var nonce = (ulong)_ctx.Random.NextInt64();
            round.Nonces[nonce] = peer;
            output.Sends.Add(new GossipSend(peer, Wrap(new GossipMessage { Hello = new GossipHello { Nonce = nonce, MsgType = PullMsgType.BlockMsg } })));
        }
        _round = round; // a round still open is superseded: its late digests and responses are ignored
    }

    private void RequestMissing(Round round, DateTimeOffset now, DisseminationOutput output)
    {
        round.ResponseDeadline = now + _ctx.Settings.ResponseWaitTime;
        var byPeer = new Dictionary<PkiId, PullRequest>();
        foreach (var (number, owners) in round.Offers)
        {
            if (_ctx.Has(number))
            {
                continue;
            }
            var owner = owners[_ctx.Random.Next(owners.Count)];
            if (!byPeer.TryGetValue(owner, out var request))
            {
                var nonce = round.Nonces.First(n => n.Value == owner).Key;
                byPeer[owner] = request = new PullRequest { Nonce = nonce, MsgType = PullMsgType.BlockMsg };
            }
            request.Digests.Add(BlockDigests.Encode(number));
            round.Requested.Add((owner, number));
        }
        foreach (var (peer, request) in byPeer)
        {
            output.Sends.Add(new GossipSend(peer, Wrap(new GossipMessage { PullReq = request })));
        }
    }

    /// <summary>At most this many hello nonces are pending: one per channel peer, and never more than 4096.</summary>
    private int MaxIncomingNonces => Math.Min(4096, Math.Max(_ctx.Peers.Count, _ctx.Settings.PullPeerNum));

    private void ForgetExpiredNonces(DateTimeOffset now)
    {
        foreach (var expired in _incoming.Where(n => now >= n.Value.Expires).Select(n => n.Key).ToList())
        {
            _incoming.Remove(expired);
        }
    }

    private GossipMessage Wrap(GossipMessage message)
    {
        message.Channel = _ctx.Channel;
        message.Tag = GossipTag.ChanAndOrg;
        return message;
    }

    private sealed class Round(DateTimeOffset digestDeadline)
    {
        public Dictionary<ulong, PkiId> Nonces { get; } = [];
        public SortedDictionary<ulong, List<PkiId>> Offers { get; } = [];
        public HashSet<(PkiId Peer, ulong Number)> Requested { get; } = [];
        public DateTimeOffset DigestDeadline { get; } = digestDeadline;
        public DateTimeOffset? ResponseDeadline { get; set; }
    }
}
