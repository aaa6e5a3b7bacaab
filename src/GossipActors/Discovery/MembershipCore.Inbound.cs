using GossipActors.Crypto;

namespace GossipActors.Discovery;

public sealed partial class MembershipCore
{
    /// <summary>
    /// An alive message that arrived by gossip (already verified). If it is new (a newer (incarnation, sequence) of its
    /// peer) it is forwarded once to <see cref="MembershipSettings.PropagatePeerNum"/> random peers (infect-and-die),
    /// batched up to <see cref="MembershipSettings.MaxPropagationBurstSize"/>.
    /// </summary>
    public AliveResult OnAlive(AliveRecord alive, DateTimeOffset now)
    {
        List<MembershipAction>? actions = null;
        var outcome = Learn(alive, now, firstHand: true, ref actions);
        if (outcome is AliveOutcome.New or AliveOutcome.Updated or AliveOutcome.Restarted or AliveOutcome.Resurrected)
        {
            _pending.Add(alive);
            if (_pending.Count >= _settings.MaxPropagationBurstSize)
            {
                FlushInto(now, ref actions);
            }
        }
        return new AliveResult(outcome, actions ?? NoActions);
    }

    /// <summary>
    /// A membership request from <paramref name="sender"/> (the authenticated identity of the connection) carrying its
    /// own alive message. Answered with everything the sender's org may see, unless the alive is not the sender's own.
    /// </summary>
    public RequestResult OnMembershipRequest(PkiId sender, AliveRecord requesterSelf, DateTimeOffset now)
    {
        if (requesterSelf.PkiId != sender)
        {
            return new RequestResult(RequestOutcome.NotSendersOwnAlive, AliveOutcome.Stale, NoActions);
        }
        List<MembershipAction>? actions = null;
        var learned = Learn(requesterSelf, now, firstHand: true, ref actions);
        if (learned is AliveOutcome.NotVisible or AliveOutcome.CertificateExpired or AliveOutcome.Self)
        {
            return new RequestResult(RequestOutcome.RequesterRejected, learned, actions ?? NoActions);
        }
        var requesterOrg = requesterSelf.Org;
        var requesterExternal = requesterSelf.ExternalEndpoint.Length > 0;
        var alive = Disclosed(requesterOrg, requesterExternal, alive: true);
        alive.RemoveAll(r => r.PkiId == sender);
        AddIfDisclosed(alive, Self, requesterOrg, requesterExternal);
        var dead = Disclosed(requesterOrg, requesterExternal, alive: false);
        Add(ref actions, new SendMembershipResponse(DestinationOf(requesterSelf), alive, dead));
        return new RequestResult(RequestOutcome.Answered, learned, actions ?? NoActions);
    }

    /// <summary>
    /// A membership response from <paramref name="responder"/>: merged into our view, never forwarded. A second-hand
    /// record never brings a dead peer back (it may be old news circulating in views); only the peer's own record does.
    /// Dead lists are not merged: we judge liveness ourselves.
    /// </summary>
    public ResponseResult OnMembershipResponse(PkiId responder, IReadOnlyList<AliveRecord> alive, DateTimeOffset now)
    {
        List<MembershipAction>? actions = null;
        int accepted = 0, rejected = 0;
        for (var i = 0; i < alive.Count; i++)
        {
            var record = alive[i];
            var outcome = Learn(record, now, firstHand: record.PkiId == responder, ref actions);
            if (outcome is AliveOutcome.New or AliveOutcome.Updated or AliveOutcome.Restarted or AliveOutcome.Resurrected)
            {
                accepted++;
            }
            else if (outcome is AliveOutcome.NotVisible or AliveOutcome.CertificateExpired)
            {
                rejected++;
            }
        }
        return new ResponseResult(accepted, rejected, actions ?? NoActions);
    }

    /// <summary>Sends the pending forwards now (the shell's burst-latency timer fired).</summary>
    public IReadOnlyList<MembershipAction> FlushForwards(DateTimeOffset now)
    {
        List<MembershipAction>? actions = null;
        FlushInto(now, ref actions);
        return actions ?? NoActions;
    }

    private AliveOutcome Learn(AliveRecord alive, DateTimeOffset now, bool firstHand, ref List<MembershipAction>? actions)
    {
        if (alive.PkiId == Self.PkiId)
        {
            return AliveOutcome.Self;
        }
        if (alive.CertificateNotAfter <= now)
        {
            return AliveOutcome.CertificateExpired;
        }
        if (!alive.IsVisibleTo(Self.Org))
        {
            return AliveOutcome.NotVisible;
        }
        if (!_members.TryGetValue(alive.PkiId, out var entry))
        {
            entry = new MemberEntry(alive, now);
            _members.Add(alive.PkiId, entry);
            MarkAlive(entry);
            Add(ref actions, new PeerBecameAlive(alive, Resurrected: false));
            return AliveOutcome.New;
        }
        var previous = entry.Record;
        if (!alive.Time.IsNewerThan(previous.Time))
        {
            return AliveOutcome.Stale;
        }
        if (!string.Equals(alive.Org, previous.Org, StringComparison.Ordinal) && entry.IsAlive)
        {
            _aliveSameOrg.Remove(entry); // re-added below if it moved into our org (a certificate re-issued elsewhere)
        }
        entry.Record = alive;
        if (!entry.IsAlive)
        {
            if (!firstHand)
            {
                return AliveOutcome.StillDead;
            }
            entry.LastHeard = now; // only the peer's own message resurrects: first-hand
            MarkAlive(entry);
            Add(ref actions, new PeerBecameAlive(alive, Resurrected: true));
            return AliveOutcome.Resurrected;
        }
        entry.LastHeard = firstHand ? now : EstimateEmission(entry.LastHeard, previous, alive, now);
        if (SameOrg(alive))
        {
            _aliveSameOrg.Add(entry);
        }
        return alive.Incarnation > previous.Incarnation ? AliveOutcome.Restarted : AliveOutcome.Updated;
    }

    /// <summary>
    /// When a second-hand record (from another peer's view) was probably emitted. Sequence numbers follow their peer's
    /// clock in microseconds (<see cref="PeerTime.NextSequence(ulong, DateTimeOffset)"/>), so a record whose sequence is
    /// d after the one we last heard at <paramref name="lastHeard"/> left its peer about d microseconds later, whatever
    /// the offset between its clock and ours. Crediting it with "now" instead would let old news circulating in views
    /// keep a crashed peer alive for extra anti-entropy rounds. Never later than now, never earlier than what we had.
    /// </summary>
    private static DateTimeOffset EstimateEmission(DateTimeOffset lastHeard, AliveRecord previous, AliveRecord alive, DateTimeOffset now)
    {
        if (alive.Incarnation != previous.Incarnation || now <= lastHeard)
        {
            return now; // a restart: no common clock to compare with
        }
        const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;
        var micros = alive.Sequence - previous.Sequence;
        var maxMicros = (ulong)((now - lastHeard).Ticks / TicksPerMicrosecond);
        return micros >= maxMicros ? now : lastHeard + TimeSpan.FromTicks((long)micros * TicksPerMicrosecond);
    }

    /// <summary>
    /// Infect-and-die: every pending record goes once to PropagatePeerNum random alive peers that may hear of it
    /// (<see cref="DisclosurePolicy.MayForward"/>). One random set of targets carries the whole batch; a record that too
    /// few of them may hear of (an org-only record, another org's record) goes to extra targets picked among those
    /// that may. Each record is scoped for its target's org: the internal endpoint never leaves its org.
    /// </summary>
    private void FlushInto(DateTimeOffset now, ref List<MembershipAction>? actions)
    {
        if (_pending.Count == 0 || _alive.Count == 0)
        {
            return; // nobody to tell yet (a peer that just started): the records wait for the first peer we learn of
        }
        var fanout = _settings.PropagatePeerNum;
        var freshSince = FreshSince(now);
        var targets = _scratchTargets;
        targets.Clear();
        _alive.PickInto(_random, fanout, targets, freshSince);
        var batches = new List<AliveRecord>?[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            foreach (var record in _pending)
            {
                if (MayForwardTo(record, targets[t]))
                {
                    (batches[t] ??= []).Add(record);
                }
            }
        }
        List<(int From, int To, string Class)>? extras = null;
        HashSet<string>? toppedUp = null;
        foreach (var record in _pending)
        {
            var forwardClass = ForwardClass(record);
            if (toppedUp?.Contains(forwardClass) == true)
            {
                continue;
            }
            var eligible = 0;
            foreach (var target in targets)
            {
                eligible += MayForwardTo(record, target) ? 1 : 0;
            }
            if (eligible >= fanout)
            {
                continue;
            }
            (toppedUp ??= new HashSet<string>(StringComparer.Ordinal)).Add(forwardClass);
            var before = targets.Count;
            _alive.PickInto(_random, fanout - eligible, targets, freshSince, candidate => MayForwardTo(record, candidate));
            (extras ??= []).Add((before, targets.Count, forwardClass));
        }
        for (var t = 0; t < targets.Count; t++)
        {
            var batch = t < batches.Length ? batches[t] : null;
            if (extras is not null)
            {
                foreach (var (from, to, forwardClass) in extras)
                {
                    if (t >= from && t < to)
                    {
                        foreach (var record in _pending)
                        {
                            if (string.Equals(ForwardClass(record), forwardClass, StringComparison.Ordinal))
                            {
                                (batch ??= []).Add(record);
                            }
                        }
                    }
                }
            }
            if (batch is not null)
            {
                AddSend(ref actions, targets[t], batch);
            }
        }
        _pending.Clear();
        targets.Clear();
    }

    private bool MayForwardTo(AliveRecord record, MemberEntry target) =>
        record.PkiId != target.Record.PkiId
        && DisclosurePolicy.MayForward(record, Self.Org, target.Record.Org, target.Record.ExternalEndpoint.Length > 0);

    /// <summary>Records of one class may be forwarded to the same peers: our org's public or org-only ones, or one other org's.</summary>
    private string ForwardClass(AliveRecord record) =>
        SameOrg(record) ? (record.ExternalEndpoint.Length > 0 ? "\0public" : "\0org-only") : record.Org;

    private void AddSend(ref List<MembershipAction>? actions, MemberEntry target, List<AliveRecord> batch)
    {
        var targetOrg = target.Record.Org;
        var scoped = new List<AliveRecord>(batch.Count);
        foreach (var record in batch)
        {
            if (record.PkiId != target.Record.PkiId)
            {
                scoped.Add(DisclosurePolicy.ScopedFor(record, targetOrg));
            }
        }
        if (scoped.Count > 0)
        {
            Add(ref actions, new SendAlives(DestinationOf(target), scoped));
        }
    }
}

/// <summary>How many records of a membership response were taken in or refused, and the events they caused.</summary>
public readonly record struct ResponseResult(int Accepted, int Rejected, IReadOnlyList<MembershipAction> Actions);
