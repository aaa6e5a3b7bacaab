using GossipActors.Crypto;

namespace GossipActors.Discovery;

public sealed partial class MembershipCore
{
    /// <summary>
    /// The periodic work, at whatever cadence the shell ticks (Fabric checks every aliveExpirationTimeout / 10):
    /// remove peers whose certificate expired, declare unheard peers dead, purge long-dead ones (never bootstrap or
    /// anchor peers), publish our own alive every AliveInterval, re-contact dead peers and unknown bootstrap/anchor
    /// endpoints every ReconnectInterval, ask a random peer for its view every AntiEntropyInterval, flush forwards.
    /// </summary>
    public IReadOnlyList<MembershipAction> Tick(DateTimeOffset now)
    {
        List<MembershipAction>? actions = null;
        ExpireAndPurge(now, ref actions);
        if (_nextAliveAt is null || now >= _nextAliveAt)
        {
            PublishOwnAlive();
            _nextAliveAt = now + _settings.AliveInterval;
        }
        if (_nextReconnectAt is null || now >= _nextReconnectAt)
        {
            Reconnect(ref actions);
            _nextReconnectAt = now + _settings.ReconnectInterval;
        }
        if (_settings.AntiEntropyInterval > TimeSpan.Zero)
        {
            if (_nextAntiEntropyAt is null)
            {
                _nextAntiEntropyAt = now + _settings.AntiEntropyInterval; // the bootstrap request just went out
            }
            else if (now >= _nextAntiEntropyAt)
            {
                AskRandomPeerForItsView(now, ref actions);
                _nextAntiEntropyAt = now + _settings.AntiEntropyInterval;
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
                return [new SendMembershipRequest(DestinationOf(entry.Record), Self)];
            }
        }
        return [new SendMembershipRequest(new Destination(endpoint, null, CrossOrg: false), Self)];
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

    private void PublishOwnAlive()
    {
        var next = Self with { Sequence = Self.Sequence + 1, Envelope = null };
        Self = next with { Envelope = _seal(next) };
        (Self.ExternalEndpoint.Length > 0 ? _pendingPublic : _pendingOrgOnly).Add(Self);
    }

    private void Reconnect(ref List<MembershipAction>? actions)
    {
        foreach (var entry in _members.Values)
        {
            if (!entry.IsAlive)
            {
                Add(ref actions, new SendMembershipRequest(DestinationOf(entry), Self));
            }
        }
        foreach (var endpoint in _bootstrapEndpoints)
        {
            if (!IsKnown(endpoint))
            {
                Add(ref actions, new SendMembershipRequest(new Destination(endpoint, null, CrossOrg: false), Self));
            }
        }
        foreach (var anchor in _anchors)
        {
            if (!IsKnown(anchor.Endpoint))
            {
                var crossOrg = !string.Equals(anchor.Org, Self.Org, StringComparison.Ordinal);
                Add(ref actions, new SendMembershipRequest(new Destination(anchor.Endpoint, null, crossOrg), Self));
            }
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
        if (chosen.Count > 0)
        {
            Add(ref actions, new SendMembershipRequest(DestinationOf(chosen[0]), Self));
        }
        chosen.Clear();
    }
}
