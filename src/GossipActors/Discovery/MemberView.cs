namespace GossipActors.Discovery;

/// <summary>What the core knows of one peer.</summary>
/// <param name="LastHeard">When we last accepted a newer alive message of it.</param>
/// <param name="DeadSince">When it was declared dead; null while alive.</param>
public sealed record MemberView(AliveRecord Record, bool IsAlive, DateTimeOffset LastHeard, DateTimeOffset? DeadSince);

/// <summary>A cross-org entry point: re-contacted until known, and never purged.</summary>
public sealed record AnchorPeer(string Endpoint, string Org);

/// <summary>The core's mutable bookkeeping of one peer (single owner: the core).</summary>
internal sealed class MemberEntry(AliveRecord record, DateTimeOffset lastHeard)
{
    private AliveRecord _record = record;

    public AliveRecord Record
    {
        get => _record;
        set
        {
            if (!string.Equals(value.ExternalEndpoint, _record.ExternalEndpoint, StringComparison.Ordinal)
                || !string.Equals(value.InternalEndpoint, _record.InternalEndpoint, StringComparison.Ordinal)
                || !string.Equals(value.Org, _record.Org, StringComparison.Ordinal))
            {
                Destination = null;
            }
            _record = value;
        }
    }

    /// <summary>Where we send to this peer, cached until its endpoints or org change.</summary>
    public Destination? Destination { get; set; }
    public DateTimeOffset LastHeard { get; set; } = lastHeard;
    public DateTimeOffset? DeadSince { get; set; }
    public bool IsAlive => DeadSince is null;

    /// <summary>Position in the alive lists (for O(1) removal and random picks); -1 when not in them.</summary>
    public int AllIndex { get; set; } = -1;
    public int OrgIndex { get; set; } = -1;

    public MemberView ToView() => new(Record, IsAlive, LastHeard, DeadSince);
}
