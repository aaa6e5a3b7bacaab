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
            (alive.ExternalEndpoint.Length > 0 ? _pendingPublic : _pendingOrgOnly).Add(alive);
            if (_pendingPublic.Count + _pendingOrgOnly.Count >= _settings.MaxPropagationBurstSize)
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
        var alive = Visible(requesterOrg, alive: true);
        alive.RemoveAll(r => r.PkiId == sender);
        alive.Add(string.Equals(requesterOrg, Self.Org, StringComparison.Ordinal) ? Self : Self.WithoutInternalEndpoint());
        var dead = Visible(requesterOrg, alive: false);
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
    /// When a second-hand record (from another peer's view) was probably emitted: a peer publishes one sequence per
    /// AliveInterval, so a record k sequences after the one we last heard at <paramref name="lastHeard"/> left its peer
    /// about k intervals later. Crediting it with "now" instead would let old news circulating in views keep a crashed
    /// peer alive for extra anti-entropy rounds. Never later than now, never earlier than what we had.
    /// </summary>
    private DateTimeOffset EstimateEmission(DateTimeOffset lastHeard, AliveRecord previous, AliveRecord alive, DateTimeOffset now)
    {
        if (alive.Incarnation != previous.Incarnation)
        {
            return now; // a restart: no common clock to compare with
        }
        var steps = alive.Sequence - previous.Sequence;
        var maxSteps = (ulong)((now - lastHeard).Ticks / _settings.AliveInterval.Ticks) + 1;
        var estimate = lastHeard + _settings.AliveInterval * (double)Math.Min(steps, maxSteps);
        return estimate > now ? now : estimate;
    }

    /// <summary>
    /// Infect-and-die: every pending record goes once to PropagatePeerNum random alive peers that may see it. Records
    /// with an external endpoint may go to any org (the shell strips their secret across orgs); org-only records go
    /// only to our own org.
    /// </summary>
    private void FlushInto(DateTimeOffset now, ref List<MembershipAction>? actions)
    {
        if (!HasPendingForwards || _alive.Count == 0)
        {
            return; // nobody to tell yet (a peer that just started): the records wait for the first peer we learn of
        }
        var fanout = _settings.PropagatePeerNum;
        var targets = _scratchTargets;
        targets.Clear();
        if (_pendingPublic.Count > 0)
        {
            _alive.PickInto(_random, fanout, targets, FreshSince(now));
        }
        var sameOrgChosen = 0;
        foreach (var target in targets)
        {
            var sameOrg = SameOrg(target.Record);
            sameOrgChosen += sameOrg ? 1 : 0;
            AddSend(ref actions, target, _pendingPublic, sameOrg ? _pendingOrgOnly : null);
        }
        if (_pendingOrgOnly.Count > 0 && sameOrgChosen < fanout)
        {
            var before = targets.Count;
            _aliveSameOrg.PickInto(_random, fanout - sameOrgChosen, targets, FreshSince(now));
            for (var i = before; i < targets.Count; i++)
            {
                AddSend(ref actions, targets[i], _pendingOrgOnly, null);
            }
        }
        _pendingPublic.Clear();
        _pendingOrgOnly.Clear();
        targets.Clear();
    }

    private void AddSend(ref List<MembershipAction>? actions, MemberEntry target, List<AliveRecord> first, List<AliveRecord>? second)
    {
        var targetId = target.Record.PkiId;
        var batch = new List<AliveRecord>(first.Count + (second?.Count ?? 0));
        foreach (var record in first)
        {
            if (record.PkiId != targetId)
            {
                batch.Add(record);
            }
        }
        if (second is not null)
        {
            foreach (var record in second)
            {
                if (record.PkiId != targetId)
                {
                    batch.Add(record);
                }
            }
        }
        if (batch.Count > 0)
        {
            Add(ref actions, new SendAlives(DestinationOf(target), batch));
        }
    }
}

/// <summary>How many records of a membership response were taken in or refused, and the events they caused.</summary>
public readonly record struct ResponseResult(int Accepted, int Rejected, IReadOnlyList<MembershipAction> Actions);
