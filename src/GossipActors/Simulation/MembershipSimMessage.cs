using GossipActors.Crypto;
using GossipActors.Discovery;

namespace GossipActors.Simulation;

/// <summary>What simulated peers send each other: the membership core's outputs, without bytes or signatures.</summary>
internal abstract record MembershipSimMessage;

internal sealed record AlivesSimMessage(IReadOnlyList<AliveRecord> Alives) : MembershipSimMessage;

internal sealed record RequestSimMessage(PkiId Sender, AliveRecord Self) : MembershipSimMessage;

internal sealed record ResponseSimMessage(PkiId Responder, IReadOnlyList<AliveRecord> Alive) : MembershipSimMessage;
