using GossipActors.Crypto;

namespace GossipActors.Discovery;

/// <summary>
/// Fabric's discovery as a pure, single-owner state machine: alive/dead views, infect-and-die forwarding of alive
/// messages, expiry, purge, reconnection, bootstrap and anti-entropy through membership request/response, and org
/// visibility. No clock, no crypto, no I/O: every method takes the current time and returns what the shell must do.
/// Not thread-safe: one owner (an actor, or the simulator) calls it.
/// </summary>
public sealed partial class MembershipCore
{
    private static readonly IReadOnlyList<MembershipAction> NoActions = [];

    private readonly MembershipSettings _settings;
    private readonly Random _random;
    private readonly Func<AliveRecord, object?> _seal;
    private readonly string[] _bootstrapEndpoints;
    private readonly AnchorPeer[] _anchors;
    private readonly HashSet<string> _protectedEndpoints;
    private readonly Dictionary<PkiId, MemberEntry> _members = [];
    private readonly AlivePeerList _alive = new(e => e.AllIndex, (e, i) => e.AllIndex = i);
    private readonly AlivePeerList _aliveSameOrg = new(e => e.OrgIndex, (e, i) => e.OrgIndex = i);
    private readonly List<AliveRecord> _pending = [];
    private readonly Dictionary<string, int> _connectionAttempts = new(StringComparer.Ordinal);
    private readonly List<MemberEntry> _scratchTargets = [];
    private readonly List<MemberEntry> _scratchChanged = [];
    private DateTimeOffset? _nextAliveAt;
    private DateTimeOffset? _nextReconnectAt;
    private DateTimeOffset? _nextAntiEntropyAt;

    /// <param name="self">Our own alive record (endpoints, org, incarnation, the sequence to start after).</param>
    /// <param name="bootstrapEndpoints">Peers of our own org to ask for the view at start; never purged.</param>
    /// <param name="anchors">Other orgs' entry points; never purged.</param>
    /// <param name="random">The only source of randomness (seeded in tests and the simulator).</param>
    /// <param name="seal">Turns our own new alive record into the signed envelope the shell sends (the shell signs);
    /// null leaves <see cref="AliveRecord.Envelope"/> empty (simulator).</param>
    public MembershipCore(
        AliveRecord self,
        MembershipSettings settings,
        IEnumerable<string> bootstrapEndpoints,
        IEnumerable<AnchorPeer> anchors,
        Random random,
        Func<AliveRecord, object?>? seal = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        _settings = settings.Validate();
        _random = random;
        _seal = seal ?? (_ => null);
        Self = self;
        _bootstrapEndpoints = [.. bootstrapEndpoints.Where(e => e.Length > 0 && !self.HasEndpoint(e)).Distinct(StringComparer.Ordinal)];
        _anchors = [.. anchors.Where(a => a.Endpoint.Length > 0 && !self.HasEndpoint(a.Endpoint))];
        _protectedEndpoints = new HashSet<string>(_bootstrapEndpoints.Concat(_anchors.Select(a => a.Endpoint)), StringComparer.Ordinal);
    }

    /// <summary>Our own latest alive record (with its envelope once the first has been sealed).</summary>
    public AliveRecord Self { get; private set; }

    public MembershipSettings Settings => _settings;

    public int AliveCount => _alive.Count;

    public int DeadCount => _members.Count - _alive.Count;

    public IEnumerable<AliveRecord> AliveMembers
    {
        get
        {
            for (var i = 0; i < _alive.Count; i++)
            {
                yield return _alive[i].Record;
            }
        }
    }

    public IEnumerable<AliveRecord> DeadMembers => _members.Values.Where(e => !e.IsAlive).Select(e => e.Record);

    public MemberView? Lookup(PkiId pkiId) => _members.TryGetValue(pkiId, out var entry) ? entry.ToView() : null;

    /// <summary>True while any forwarded alive waits for the next flush; the shell then arms its burst-latency timer.</summary>
    public bool HasPendingForwards => _pending.Count > 0;

    /// <summary>
    /// The alive peers a peer of <paramref name="requesterOrg"/> may be told about (<see cref="DisclosurePolicy"/>):
    /// its own org's peers; ours only when they and the requester have external endpoints; no third org. Records of
    /// other orgs than the requester's never carry the internal endpoint.
    /// </summary>
    public IReadOnlyList<AliveRecord> DisclosedTo(string requesterOrg, bool requesterHasExternalEndpoint) =>
        Disclosed(requesterOrg, requesterHasExternalEndpoint, alive: true);

    private List<AliveRecord> Disclosed(string requesterOrg, bool requesterHasExternalEndpoint, bool alive)
    {
        var result = new List<AliveRecord>(alive ? _alive.Count : _members.Count - _alive.Count);
        if (alive)
        {
            for (var i = 0; i < _alive.Count; i++)
            {
                AddIfDisclosed(result, _alive[i].Record, requesterOrg, requesterHasExternalEndpoint);
            }
        }
        else
        {
            foreach (var entry in _members.Values)
            {
                if (!entry.IsAlive)
                {
                    AddIfDisclosed(result, entry.Record, requesterOrg, requesterHasExternalEndpoint);
                }
            }
        }
        return result;
    }

    private void AddIfDisclosed(List<AliveRecord> into, AliveRecord record, string requesterOrg, bool requesterHasExternalEndpoint)
    {
        if (DisclosurePolicy.MayDisclose(record, Self.Org, requesterOrg, requesterHasExternalEndpoint))
        {
            into.Add(DisclosurePolicy.ScopedFor(record, requesterOrg));
        }
    }

    /// <summary>Our own alive record as the peer at <paramref name="to"/> may see it (no internal endpoint across orgs).</summary>
    private AliveRecord SelfFor(Destination to) => to.CrossOrg ? Self.WithoutInternalEndpoint() : Self;

    /// <summary>Peers heard from since then are preferred as gossip targets: two alive intervals of silence is suspicious.</summary>
    private DateTimeOffset FreshSince(DateTimeOffset now) => now - _settings.AliveInterval * 2;

    private bool SameOrg(AliveRecord record) => string.Equals(record.Org, Self.Org, StringComparison.Ordinal);

    private Destination DestinationOf(AliveRecord record) =>
        new(record.EndpointFor(Self.Org), record.PkiId, !SameOrg(record));

    private Destination DestinationOf(MemberEntry entry) => entry.Destination ??= DestinationOf(entry.Record);

    private bool IsProtected(AliveRecord record) =>
        _protectedEndpoints.Count > 0
        && (_protectedEndpoints.Contains(record.ExternalEndpoint) || _protectedEndpoints.Contains(record.InternalEndpoint));

    private void MarkAlive(MemberEntry entry)
    {
        entry.DeadSince = null;
        _alive.Add(entry);
        if (SameOrg(entry.Record))
        {
            _aliveSameOrg.Add(entry);
        }
    }

    private void MarkDead(MemberEntry entry, DateTimeOffset now)
    {
        entry.DeadSince = now;
        _alive.Remove(entry);
        _aliveSameOrg.Remove(entry);
    }

    private void Remove(MemberEntry entry)
    {
        _alive.Remove(entry);
        _aliveSameOrg.Remove(entry);
        _members.Remove(entry.Record.PkiId);
    }

    private static void Add(ref List<MembershipAction>? actions, MembershipAction action) => (actions ??= []).Add(action);
}
