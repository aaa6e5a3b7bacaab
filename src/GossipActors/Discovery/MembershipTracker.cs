using GossipActors.Crypto;

namespace GossipActors.Discovery;

/// <summary>
/// Fabric's membership tracker: every peer.gossip.membershipTrackerInterval the shell asks what changed in the alive
/// view since the last time, and logs it (peers that went online, peers that went offline). Pure: fed the alive view,
/// returns the change, or null when there is none.
/// </summary>
public sealed class MembershipTracker
{
    private Dictionary<PkiId, AliveRecord> _previous = [];

    public MembershipChange? Check(IEnumerable<AliveRecord> alive)
    {
        var current = new Dictionary<PkiId, AliveRecord>();
        foreach (var record in alive)
        {
            current[record.PkiId] = record;
        }
        var online = current.Values.Where(r => !_previous.ContainsKey(r.PkiId)).ToList();
        var offline = _previous.Values.Where(r => !current.ContainsKey(r.PkiId)).ToList();
        _previous = current;
        return online.Count == 0 && offline.Count == 0 ? null : new MembershipChange(online, offline, current.Count);
    }
}

/// <summary>What changed in the alive view between two checks of the <see cref="MembershipTracker"/>.</summary>
public sealed record MembershipChange(IReadOnlyList<AliveRecord> WentOnline, IReadOnlyList<AliveRecord> WentOffline, int AliveNow)
{
    public override string ToString() =>
        $"Membership view has changed: {AliveNow} alive; went online: [{Describe(WentOnline)}]; went offline: [{Describe(WentOffline)}]";

    private static string Describe(IReadOnlyList<AliveRecord> peers) =>
        string.Join(", ", peers.Select(p => $"{p.Label} at {(p.ExternalEndpoint.Length > 0 ? p.ExternalEndpoint : p.InternalEndpoint)}"));
}
