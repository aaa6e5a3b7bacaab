namespace GossipActors.Operations;

/// <summary>The JSON document served at /status.</summary>
public sealed record PeerStatus(
    string Id,
    string MspId,
    string PkiId,
    string Endpoint,
    string ExternalEndpoint,
    ulong Incarnation,
    IReadOnlyList<MemberStatus> Alive,
    IReadOnlyList<MemberStatus> Dead);

public sealed record MemberStatus(string PkiId, string Org, string Endpoint, ulong Incarnation, ulong Sequence);
