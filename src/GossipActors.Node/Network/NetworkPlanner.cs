namespace GossipActors.Node.Network;

/// <summary>
/// Lays out a network (pure: options and ports in, manifest out): DIR/config/&lt;node&gt;.conf, DIR/data/&lt;node&gt;,
/// DIR/crypto; the orderer first, then peer0..peerN-1 of Org1, Org2, ...; peer0 of each org is its anchor peer (and
/// its static leader with static election). Ports are taken in order from <paramref name="ports"/>: per peer its
/// gossip, org-cluster and operations ports; the orderer's listener and operations port.
/// </summary>
internal static class NetworkPlanner
{
    public const string Host = "127.0.0.1";

    /// <summary>How many ports <see cref="Plan"/> takes for these options.</summary>
    public static int PortsNeeded(NetworkOptions options) => 2 + options.Orgs * options.PeersPerOrg * 3;

    public static NetworkManifest Plan(string directory, NetworkOptions options, IReadOnlyList<int> ports)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }
        if (ports.Count < PortsNeeded(options) || ports.Distinct().Count() != ports.Count || ports.Any(p => p is < 1 or > 65535))
        {
            throw new ArgumentException($"{PortsNeeded(options)} distinct ports from 1 to 65535 are needed; got {ports.Count}", nameof(ports));
        }
        var root = Path.GetFullPath(directory);
        var next = 0;
        var nodes = new List<NetworkNode>();
        var ordererName = $"orderer0.{options.OrdererOrg.ToLowerInvariant()}";
        nodes.Add(new NetworkNode(ordererName, NodeKind.Orderer, options.OrdererOrg, ConfigPath(root, ordererName),
            Endpoint(ports[next++]), OrgClusterEndpoint: null, Operations: $"http://{Host}:{ports[next++]}", DataPath(root, ordererName), Anchor: false, StaticLeader: false));
        foreach (var org in options.OrgNames)
        {
            for (var i = 0; i < options.PeersPerOrg; i++)
            {
                var name = $"peer{i}.{org.ToLowerInvariant()}";
                var (gossip, cluster, operations) = (ports[next++], ports[next++], ports[next++]);
                nodes.Add(new NetworkNode(name, NodeKind.Peer, org, ConfigPath(root, name), Endpoint(gossip), Endpoint(cluster),
                    $"http://{Host}:{operations}", DataPath(root, name), Anchor: i == 0, StaticLeader: options.Election == ElectionMode.Static && i == 0));
            }
        }
        return new NetworkManifest(root, options.Channel, options.Election, options.Tls, options.OrgNames, options.OrdererOrg, nodes);
    }

    public static string CryptoDirectory(string root) => Path.Combine(root, "crypto");

    /// <summary>A node's own crypto directory (its mspConfigPath), as cryptogen writes it.</summary>
    public static string NodeCryptoDirectory(string root, NetworkNode node) => Path.Combine(CryptoDirectory(root), node.Org, node.Name);

    private static string Endpoint(int port) => $"{Host}:{port}";

    private static string ConfigPath(string root, string name) => Path.Combine(root, "config", name + ".conf");

    private static string DataPath(string root, string name) => Path.Combine(root, "data", name);
}
