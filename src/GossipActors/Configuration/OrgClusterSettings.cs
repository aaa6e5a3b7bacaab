namespace GossipActors.Configuration;

/// <summary>
/// The org system: a second actor system of the peer, on its own port, running the organisation's Akka.Cluster
/// (reachability hints, org-wide control-plane queries). Only the own organisation's nodes can connect (mutual TLS
/// pinned to peer.tls.rootcert.file).
/// </summary>
public sealed record OrgClusterSettings
{
    public static OrgClusterSettings Default => PeerSettings.Default.OrgCluster;

    /// <summary>host:port the org system listens on (port 0 = any free port); "" = no org system.</summary>
    [SettingKey("peer.gossip.orgCluster.address")] public required string Address { get; init; }

    /// <summary>Org-cluster addresses (host:port) of the org's bootstrap peers: the cluster's seed nodes.</summary>
    [SettingKey("peer.gossip.orgCluster.bootstrap")] public required IReadOnlyList<string> Bootstrap { get; init; }

    public bool Enabled => Address.Length > 0;

    internal static OrgClusterSettings Read(SettingsReader r) => new()
    {
        Address = r.Endpoint("peer.gossip.orgCluster.address", allowEmpty: true, allowPortZero: true),
        Bootstrap = r.EndpointList("peer.gossip.orgCluster.bootstrap"),
    };
}
