using GossipActors.Crypto;

namespace GossipActors.Election;

/// <summary>What an election core wants said to the org's channel peers.</summary>
public enum LeadershipAnnouncement
{
    /// <summary>"I propose myself as leader" (LeadershipMessage.is_declaration = false).</summary>
    Proposal,

    /// <summary>"I am the leader" (LeadershipMessage.is_declaration = true).</summary>
    Declaration,
}

/// <summary>The org's leadership as this peer now sees it.</summary>
/// <param name="Leader">The leader (ourselves when <paramref name="IsLeader"/>), or null when none is known.</param>
public readonly record struct Leadership(bool IsLeader, PkiId? Leader)
{
    public static Leadership None => new(false, null);
}

/// <summary>What became of one leadership message offered to the core.</summary>
public enum LeadershipVerdict
{
    Accepted,

    /// <summary>The sender is not among our org's peers in the channel view (unknown, dead, left, or another org).</summary>
    NotInView,
}

/// <summary>
/// One step of the core: the announcements to send to every same-org channel peer (in order), the new leadership
/// when it changed, and how many elections this step started.
/// </summary>
public sealed record ElectionOutput(
    IReadOnlyList<LeadershipAnnouncement> Announcements,
    Leadership? Changed,
    int ElectionsStarted,
    LeadershipVerdict Verdict = LeadershipVerdict.Accepted)
{
    public static ElectionOutput Nothing { get; } = new([], null, 0);

    public bool IsEmpty => Announcements.Count == 0 && Changed is null && ElectionsStarted == 0;
}
