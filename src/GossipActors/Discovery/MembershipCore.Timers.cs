using GossipActors.Crypto;

namespace GossipActors.Discovery;

public sealed partial class MembershipCore
{
    /// <summary>
    /// The periodic work, at whatever cadence the shell ticks (Fabric checks every aliveExpirationTimeout / 10):
    /// remove peers whose certificate expired, declare unheard peers dead, purge long-dead ones (never bootstrap or
    /// anchor peers), publish our own alive every AliveInterval, re-contact dead peers and unknown bootstrap/anchor
    /// endpoints every ReconnectInterval, ask a random peer for its view every AntiEntropyInterval, flush forwards.
    /// Each period counts from when its work was due, not from the tick that did it, and a tick up to
    /// <see cref="MembershipSettings.TickTolerance"/> early counts as on time (<see cref="Cadence"/>): so the alive
    /// goes out every AliveInterval, not a tick later each time when ticks arrive a few milliseconds off their grid.
    /// </summary>
    public IReadOnlyList<MembershipAction> Tick(DateTimeOffset now)
    {
        List<MembershipAction>? actions = null;
        ExpireAndPurge(now, ref actions);
        var tolerance = _settings.TickTolerance;
        if (Cadence.IsDue(_nextAliveAt, now, tolerance))
        {
            PublishOwnAlive(now);
            _nextAliveAt = Cadence.Next(_nextAliveAt, now, _settings.AliveInterval);
        }
        if (Cadence.IsDue(_nextReconnectAt, now, tolerance))
        {
            Reconnect(ref actions);
            _nextReconnectAt = Cadence.Next(_nextReconnectAt, now, _settings.ReconnectInterval);
        }
        if (_settings.AntiEntropyInterval > TimeSpan.Zero)
        {
            if (_nextAntiEntropyAt is null)
            {
                _nextAntiEntropyAt = now + _settings.AntiEntropyInterval; // the bootstrap request just went out
            }
            else if (Cadence.IsDue(_nextAntiEntropyAt, now, tolerance))
            {
                AskRandomPeerForItsView(now, ref actions);
                _nextAntiEntropyAt = Cadence.Next(_nextAntiEntropyAt, now, _settings.AntiEntropyInterval);
            }
        }
        FlushInto(now, ref actions);
        return actions ?? NoActions;
    }

    /// <summary>
    /// The peer behind <paramref name="old"/> renewed its certificate (the comm layer met a new PKI-ID of the same org at
    /// its endpoint): the old record is purged at once instead of lingering until it expires.
    /// </summary>
    public IReadOnlyList<MembershipAction> OnCertificateRenewed(PkiId old)
    {
        if (!_members.TryGetValue(old, out var entry))
        {
            return NoActions;
        }
        Remove(entry);
        return [new PeerPurged(entry.Record, PurgeCause.CertificateRenewed)];
    }

    /// <summary>The comm layer could not send to <paramref name="pkiId"/>: presumed dead at once (Fabric does the same).</summary>
    public IReadOnlyList<MembershipAction> OnSendFailed(PkiId pkiId, DateTimeOffset now)
    {
        if (!_members.TryGetValue(pkiId, out var entry) || !entry.IsAlive)
        {
            return NoActions;
        }
        MarkDead(entry, now);
        return [new PeerBecameDead(entry.Record, DeathCause.SendFailed)];
    }

    /// <summary>
    /// A hint (the org's cluster saw <paramref name="endpoint"/> become unreachable or reachable again): probe it at
    /// once with a membership request. A failed send then declares it dead, an answer brings it back.
    /// </summary>
    public IReadOnlyList<MembershipAction> OnProbeHint(string endpoint, DateTimeOffset now)
    {
        if (endpoint.Length == 0 || Self.HasEndpoint(endpoint))
        {
            return NoActions;
        }
        foreach (var entry in _members.Values)
        {
            if (entry.Record.HasEndpoint(endpoint))
            {
                return Request(DestinationOf(entry.Record)) is { } known ? [known] : NoActions;
            }
        }
        _connectionAttempts.Remove(endpoint); // a bootstrap or anchor endpoint given up on is tried again
        return [Request(new Destination(endpoint, null, CrossOrg: false))!];
    }

    private void ExpireAndPurge(DateTimeOffset now, ref List<MembershipAction>? actions)
    {
        var changed = _scratchChanged;
        changed.Clear();
        var purgeAfter = _settings.PurgeAfter;
        foreach (var entry in _members.Values)
        {
            if (entry.Record.CertificateNotAfter <= now
                || (entry.IsAlive && now - entry.LastHeard >= _settings.AliveExpirationTimeout)
                || (!entry.IsAlive && now - entry.LastHeard >= purgeAfter && !IsProtected(entry.Record)))
            {
                changed.Add(entry);
            }
        }
        foreach (var entry in changed)
        {
            if (entry.Record.CertificateNotAfter <= now)
            {
                Remove(entry);
                Add(ref actions, new PeerPurged(entry.Record, PurgeCause.CertificateExpired));
            }
            else if (entry.IsAlive)
            {
                MarkDead(entry, now);
                Add(ref actions, new PeerBecameDead(entry.Record, DeathCause.Expired));
            }
            else
            {
                Remove(entry);
                Add(ref actions, new PeerPurged(entry.Record, PurgeCause.Expired));
            }
        }
        changed.Clear();
    }

    /// <summary>
    /// Our next alive: the sequence follows the clock (<see cref="PeerTime.NextSequence(ulong, DateTimeOffset)"/>), so a
    /// core rebuilt after its actor restarted (sequence 0 again, same incarnation) still emits only newer sequences.
    /// </summary>
    private void PublishOwnAlive(DateTimeOffset now)
    {
        var next = Self with { Sequence = PeerTime.NextSequence(Self.Sequence, now), Envelope = null };
        Self = next with { Envelope = _seal(next) };
        _pending.Add(Self);
    }

    /// <summary>
    /// A membership request carrying our alive as <paramref name="to"/> may see it; null when we must not contact it:
    /// a peer of another org while we have no external endpoint (it could not see us, as Fabric skips such anchors).
    /// </summary>
    private SendMembershipRequest? Request(Destination to) =>
        to.CrossOrg && Self.ExternalEndpoint.Length == 0 ? null : new SendMembershipRequest(to, SelfFor(to));

    private void Reconnect(ref List<MembershipAction>? actions)
    {
        foreach (var entry in _members.Values)
        {
            if (!entry.IsAlive && Request(DestinationOf(entry)) is { } request)
            {
                Add(ref actions, request);
            }
        }
        foreach (var endpoint in _bootstrapEndpoints)
        {
            TryConnect(new Destination(endpoint, null, CrossOrg: false), ref actions);
        }
        foreach (var anchor in _anchors)
        {
            var crossOrg = !string.Equals(anchor.Org, Self.Org, StringComparison.Ordinal);
            TryConnect(new Destination(anchor.Endpoint, null, crossOrg), ref actions);
        }
    }

    /// <summary>
    /// Contacts a bootstrap or anchor endpoint that is not known yet, at most MaxConnectionAttempts times (Fabric's
    /// peer.gossip.maxConnectionAttempts); then gives up on it (once, reported) until a probe hint or the endpoint's
    /// own messages bring it back.
    /// </summary>
    private void TryConnect(Destination to, ref List<MembershipAction>? actions)
    {
        if (IsKnown(to.Endpoint))
        {
            _connectionAttempts.Remove(to.Endpoint);
            return;
        }
        var attempts = _connectionAttempts.GetValueOrDefault(to.Endpoint);
        if (attempts >= _settings.MaxConnectionAttempts || Request(to) is not { } request)
        {
            return;
        }
        Add(ref actions, request);
        _connectionAttempts[to.Endpoint] = ++attempts;
        if (attempts == _settings.MaxConnectionAttempts)
        {
            Add(ref actions, new GaveUpConnecting(to.Endpoint, attempts));
        }
    }

    private bool IsKnown(string endpoint)
    {
        foreach (var entry in _members.Values)
        {
            if (entry.Record.HasEndpoint(endpoint))
            {
                return true;
            }
        }
        return false;
    }

    private void AskRandomPeerForItsView(DateTimeOffset now, ref List<MembershipAction>? actions)
    {
        var chosen = _scratchTargets;
        chosen.Clear();
        _alive.PickInto(_random, 1, chosen, FreshSince(now));
        if (chosen.Count > 0 && Request(DestinationOf(chosen[0])) is { } request)
        {
            Add(ref actions, request);
        }
        chosen.Clear();
    }
}
