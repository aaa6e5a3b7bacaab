using GossipActors.Channels;
using GossipActors.Crypto;

namespace GossipActors.Ledger;

/// <summary>A state-transfer request to send: blocks From..To (inclusive) from <paramref name="Peer"/>.</summary>
public sealed record StateRequestOut(PkiId Peer, ulong Nonce, ulong From, ulong To);

/// <summary>A request a response answered: the range asked for.</summary>
public sealed record AnsweredRequest(ulong From, ulong To, int Attempt);

/// <summary>
/// Which missing blocks to ask which channel peer for, with no I/O and no clock of its own (pure core; the channel
/// actor feeds it heights, responses and the time, and sends what it returns).
/// <list type="bullet">
/// <item>When: a block is requested once it has been reported (in state info) for a whole check interval without
/// reaching us, or at once when we are at least a batch behind (a restarted or new peer). Below that, gossip is
/// left to deliver.</item>
/// <item>What: ranges of at most BatchSize blocks we have neither accepted nor buffered, below our committed height
/// plus Window; up to Window / BatchSize requests in flight (pipelined), spread over the peers that have them (any
/// org), the least busy first.</item>
/// <item>Failure: a request unanswered within ResponseTimeout, or answered empty, is retried on another peer, at
/// most MaxRetries times; then the round ends (nothing more is asked until the next check). A sender of a forged or
/// out-of-chain block is not asked again in the round.</item>
/// </list>
/// </summary>
public sealed class StateTransferPlanner
{
    private sealed class Pending(PkiId peer, ulong from, ulong to, int attempt, DateTimeOffset deadline, HashSet<PkiId> tried)
    {
        public PkiId Peer { get; } = peer;
        public ulong From { get; } = from;
        public ulong To { get; } = to;
        public int Attempt { get; } = attempt;
        public DateTimeOffset Deadline { get; set; } = deadline;
        public HashSet<PkiId> Tried { get; } = tried;
    }

    private sealed record Retry(ulong From, ulong To, int Attempt, HashSet<PkiId> Tried);

    /// <summary>Requests in flight to one peer at most (the rest of the window goes to other peers, or waits).</summary>
    public const int MaxInFlightPerPeer = 16;

    private readonly StateTransferOptions _options;
    private readonly PkiId _self;
    private readonly Random _random;
    private readonly Dictionary<ulong, Pending> _inFlight = [];
    private readonly List<Retry> _retries = [];
    private readonly HashSet<PkiId> _excluded = [];
    private ulong _catchUpTo;
    private ulong _reportedAtLastCheck;
    private bool _roundOver;
    private DateTimeOffset _nextCheck;

    public StateTransferPlanner(StateTransferOptions options, PkiId self, Random random, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, 1);
        _options = options;
        _self = self;
        _random = random;
        _nextCheck = now + options.CheckInterval;
    }

    public StateTransferCounters Counters { get; } = new();

    public int InFlight => _inFlight.Count;

    /// <summary>Peers not asked again in this round (they sent a forged or out-of-chain block).</summary>
    public IReadOnlySet<PkiId> Excluded => _excluded;

    /// <summary>The blocks below this height are (or were) wanted from state transfer.</summary>
    public ulong CatchUpTo => _catchUpTo;

    /// <summary>The next instant <see cref="Tick"/> has work (a response deadline or the next check).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            if (!_options.Enabled)
            {
                return null;
            }
            var due = _nextCheck;
            foreach (var pending in _inFlight.Values)
            {
                due = pending.Deadline < due ? pending.Deadline : due;
            }
            return due;
        }
    }

    /// <summary>A higher height was reported (state info): being a batch or more behind starts catching up at once.</summary>
    public void OnHeightReported(ulong acceptedHeight, ulong reported)
    {
        if (reported >= acceptedHeight + (ulong)_options.BatchSize)
        {
            _catchUpTo = Math.Max(_catchUpTo, reported);
        }
    }

    /// <summary>
    /// Timers: requests past their deadline fail (retried elsewhere, or the round ends after MaxRetries); every
    /// CheckInterval a new round starts (exclusions and give-ups forgotten) and what was reported a round ago is due.
    /// </summary>
    public void Tick(DateTimeOffset now, ChannelPeerSet peers)
    {
        foreach (var (nonce, pending) in _inFlight.Where(p => p.Value.Deadline <= now).ToList())
        {
            _inFlight.Remove(nonce);
            Counters.Timeouts++;
            Failed(pending);
        }
        if (now < _nextCheck)
        {
            return;
        }
        _nextCheck = now + _options.CheckInterval;
        _excluded.Clear();
        _roundOver = false;
        _catchUpTo = Math.Max(_catchUpTo, _reportedAtLastCheck);
        _reportedAtLastCheck = MaxHeight(peers);
    }

    /// <summary>
    /// New requests to send now (none if disabled, caught up, the round is over or the pipeline is full).
    /// <paramref name="has"/> tells which blocks we have accepted or buffered.
    /// </summary>
    public List<StateRequestOut> Plan(ulong acceptedHeight, ulong committedHeight, Func<ulong, bool> has, ChannelPeerSet peers, DateTimeOffset now)
    {
        var requests = new List<StateRequestOut>();
        if (!_options.Enabled || _roundOver)
        {
            return requests;
        }
        var limit = Math.Min(Math.Min(_catchUpTo, MaxHeight(peers)), committedHeight + (ulong)_options.Window);
        _retries.RemoveAll(r => r.To < acceptedHeight);
        for (var i = 0; i < _retries.Count && _inFlight.Count < _options.MaxInFlight; i++)
        {
            var retry = _retries[i];
            var from = Math.Max(retry.From, acceptedHeight);
            if (from >= limit)
            {
                continue;
            }
            var to = Math.Min(retry.To, limit - 1);
            var peer = Choose(peers, from, ref to, retry.Tried) ?? Choose(peers, from, ref to, []);
            if (peer is null)
            {
                continue;
            }
            _retries.RemoveAt(i--);
            Counters.Retries++;
            requests.Add(Send(peer.Value, from, to, retry.Attempt, retry.Tried, now));
        }
        var next = acceptedHeight;
        while (_inFlight.Count < _options.MaxInFlight && next < limit)
        {
            if (has(next) || Covered(next))
            {
                next++;
                continue;
            }
            var to = next;
            while (to + 1 < limit && to + 1 - next < (ulong)_options.BatchSize && !has(to + 1) && !Covered(to + 1))
            {
                to++;
            }
            var peer = Choose(peers, next, ref to, []);
            if (peer is null)
            {
                break; // nobody (not excluded) has it
            }
            requests.Add(Send(peer.Value, next, to, 0, [], now));
            next = to + 1;
        }
        return requests;
    }

    /// <summary>
    /// A response arrived: the request it answers (removed from those in flight), or null if we asked
    /// <paramref name="from"/> nothing under <paramref name="nonce"/> (late, duplicate or unsolicited: drop it).
    /// A peer that answers is working through our queue: its other requests get a whole ResponseTimeout from now
    /// (a request fails when its peer has answered nothing for ResponseTimeout, not when it waited behind others).
    /// </summary>
    public AnsweredRequest? OnResponse(PkiId from, ulong nonce, DateTimeOffset now)
    {
        if (!_inFlight.TryGetValue(nonce, out var pending) || pending.Peer != from)
        {
            Counters.Unsolicited++;
            return null;
        }
        _inFlight.Remove(nonce);
        foreach (var other in _inFlight.Values)
        {
            if (other.Peer == from && other.Deadline < now + _options.ResponseTimeout)
            {
                other.Deadline = now + _options.ResponseTimeout;
            }
        }
        return new AnsweredRequest(pending.From, pending.To, pending.Attempt);
    }

    /// <summary>The answered request brought no block: retried elsewhere like a timeout.</summary>
    public void OnEmpty(PkiId from, AnsweredRequest request)
    {
        Counters.EmptyResponses++;
        Failed(new Pending(from, request.From, request.To, request.Attempt, default, [from]));
    }

    /// <summary>
    /// <paramref name="sender"/> sent a forged or out-of-chain block: it is not asked again this round; what it was
    /// asked for (this request and any other in flight to it) goes to other peers.
    /// </summary>
    public void OnBadSender(PkiId sender, AnsweredRequest? request)
    {
        Counters.BadResponses++;
        _excluded.Add(sender);
        if (request is not null)
        {
            _retries.Add(new Retry(request.From, request.To, request.Attempt, [sender]));
        }
        foreach (var (nonce, pending) in _inFlight.Where(p => p.Value.Peer == sender).ToList())
        {
            _inFlight.Remove(nonce);
            _retries.Add(new Retry(pending.From, pending.To, pending.Attempt, [.. pending.Tried, sender]));
        }
    }

    private void Failed(Pending pending)
    {
        if (pending.Attempt >= _options.MaxRetries)
        {
            Counters.GaveUp++;
            _roundOver = true; // as Fabric: this round ends; the next check starts over
            _retries.Clear();
            return;
        }
        _retries.Add(new Retry(pending.From, pending.To, pending.Attempt + 1, [.. pending.Tried, pending.Peer]));
    }

    private StateRequestOut Send(PkiId peer, ulong from, ulong to, int attempt, HashSet<PkiId> tried, DateTimeOffset now)
    {
        ulong nonce;
        do
        {
            nonce = (ulong)_random.NextInt64();
        }
        while (nonce == 0 || _inFlight.ContainsKey(nonce));
        _inFlight[nonce] = new Pending(peer, from, to, attempt, now + _options.ResponseTimeout, tried);
        Counters.Requests++;
        return new StateRequestOut(peer, nonce, from, to);
    }

    private bool Covered(ulong number)
    {
        foreach (var pending in _inFlight.Values)
        {
            if (number >= pending.From && number <= pending.To)
            {
                return true;
            }
        }
        foreach (var retry in _retries)
        {
            if (number >= retry.From && number <= retry.To)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The least busy eligible peer that has block <paramref name="from"/> (ties at random); <paramref name="to"/> is
    /// clipped to what it has if no eligible peer has the whole range.
    /// </summary>
    private PkiId? Choose(ChannelPeerSet peers, ulong from, ref ulong to, HashSet<PkiId> avoid)
    {
        var wanted = to;
        var eligible = peers.Peers.Where(p => p.Id != _self && p.Height > from && !_excluded.Contains(p.Id) && !avoid.Contains(p.Id)
            && _inFlight.Values.Count(f => f.Peer == p.Id) < MaxInFlightPerPeer).ToList();
        if (eligible.Count == 0)
        {
            return null;
        }
        var whole = eligible.Where(p => p.Height > wanted).ToList();
        var pool = whole.Count > 0 ? whole : eligible;
        var busy = pool.ToDictionary(p => p.Id, p => _inFlight.Values.Count(f => f.Peer == p.Id));
        var least = busy.Values.Min();
        var candidates = pool.Where(p => busy[p.Id] == least).ToList();
        var chosen = candidates[_random.Next(candidates.Count)];
        if (whole.Count == 0)
        {
            to = chosen.Height - 1;
        }
        return chosen.Id;
    }

    private static ulong MaxHeight(ChannelPeerSet peers) => peers.MaxHeight;
}

/// <summary>What state transfer did at one peer (requester side); single owner.</summary>
public sealed class StateTransferCounters
{
    public long Requests { get; set; }
    public long Retries { get; set; }
    public long Timeouts { get; set; }
    public long EmptyResponses { get; set; }

    /// <summary>Responses that carried a forged, out-of-range or out-of-chain block; their sender is excluded for the round.</summary>
    public long BadResponses { get; set; }

    /// <summary>Responses to no request of ours in flight (late after a timeout, or unsolicited).</summary>
    public long Unsolicited { get; set; }

    public long GaveUp { get; set; }
    public long BlocksReceived { get; set; }
}
