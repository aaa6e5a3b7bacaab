using GossipActors.Serialization;

namespace GossipActors.Hosting;

/// <summary>Local: ask the org-status actor of the org system for the status of every peer of the org cluster.</summary>
public sealed record GetOrgStatus(TimeSpan Timeout) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The answer to <see cref="GetOrgStatus"/>: a report per peer that answered, and the addresses that did not.</summary>
public sealed record OrgStatus(IReadOnlyList<PeerStatusReport> Peers, IReadOnlyList<string> Unanswered) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Org control plane (Hyperion, org system only): one org-status actor asks another for its peer's status.</summary>
public sealed record PeerStatusQuery : IControlMessage;

/// <summary>Org control plane: a peer's status as it sees itself.</summary>
public sealed record PeerStatusReport(string Id, string MspId, string Endpoint, string PkiId, int AlivePeers, int DeadPeers) : IControlMessage;

/// <summary>The control-plane records the org system's Hyperion accepts (its type filter).</summary>
public static class OrgStatusMessages
{
    public static readonly IReadOnlyList<Type> KnownTypes = [typeof(PeerStatusQuery), typeof(PeerStatusReport)];
}
