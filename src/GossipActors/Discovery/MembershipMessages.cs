using GossipActors.Crypto;

namespace GossipActors.Discovery;

/// <summary>The sender receives a <see cref="MembershipSnapshot"/> now and after every change of the alive view.</summary>
public sealed record SubscribeMembership : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly SubscribeMembership Instance = new();
}

public sealed record GetMembership : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly GetMembership Instance = new();
}

/// <summary>The view at one moment: ourselves, who is alive, who is dead (not yet purged).</summary>
public sealed record MembershipSnapshot(AliveRecord Self, IReadOnlyList<AliveRecord> Alive, IReadOnlyList<AliveRecord> Dead)
    : Akka.Actor.INoSerializationVerificationNeeded
{
    public bool IsAlive(PkiId peer) => Alive.Any(a => a.PkiId == peer);
}

/// <summary>A hint from outside gossip (the org's cluster) that an endpoint changed reachability: probe it now.</summary>
public sealed record ProbeEndpoint(string Endpoint) : Akka.Actor.INoSerializationVerificationNeeded;
