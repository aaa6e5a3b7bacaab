using System.Text;

namespace GossipActors.Node.Network;

/// <summary>
/// The HOCON file of each node of a planned network (pure text, nothing written). Every peer publishes an external
/// endpoint (so every org sees every peer), bootstraps from the other peers of its org, lists the other orgs' anchor
/// peers (peer0 of each) and the orderer; the election timers are shortened for a small local network.
/// </summary>
internal static class NodeConfigText
{
    public static string For(NetworkManifest network, NetworkNode node) =>
        node.Kind == NodeKind.Peer ? Peer(network, node) : Orderer(network, node);

    private static string Peer(NetworkManifest network, NetworkNode node)
    {
        var orgPeers = network.Peers.Where(p => p.Org == node.Org).ToList();
        var anchors = network.Peers.Where(p => p.Anchor && p.Org != node.Org).Select(p => p.Endpoint);
        var dynamic = network.Election == ElectionMode.Dynamic;
        var role = dynamic ? "dynamic election" : node.StaticLeader ? "static leader of its org" : "static standby";
        var text = new StringBuilder();
        text.AppendLine($"# {node.Name} of {node.Org}{(node.Anchor ? ", the org's anchor peer" : "")}, {role}. Written by `gossip-node network init`.");
        text.AppendLine($"# Start it by hand: gossip-node peer --config {node.Config}");
        text.AppendLine("peer {");
        text.AppendLine($"  id = {Quote(node.Name)}");
        text.AppendLine($"  localMspId = {Quote(node.Org)}");
        text.AppendLine($"  address = {Quote(node.Endpoint)}");
        text.AppendLine("  # This node's own directory from cryptogen: its identity, the CA certificates it trusts, its TLS material.");
        text.AppendLine($"  mspConfigPath = {Quote(NetworkPlanner.NodeCryptoDirectory(network.Directory, node))}");
        text.AppendLine($"  fileSystemPath = {Quote(node.DataDirectory)}");
        text.AppendLine("  gossip {");
        text.AppendLine($"    # The other peers of {node.Org}, contacted at start to join gossip.");
        text.AppendLine($"    bootstrap = {List(orgPeers.Where(p => p != node).Select(p => p.Endpoint))}");
        text.AppendLine("    # Published to the other organisations' peers.");
        text.AppendLine($"    externalEndpoint = {Quote(node.Endpoint)}");
        text.AppendLine("    # The other organisations' anchor peers (peer0 of each): how this peer learns their peers.");
        text.AppendLine($"    anchorPeers = {List(anchors)}");
        text.AppendLine($"    # {node.Org}'s Akka.Cluster (cluster hints, org status); the seeds are the same list on every peer of the org.");
        text.AppendLine("    orgCluster {");
        text.AppendLine($"      address = {Quote(node.OrgClusterEndpoint!)}");
        text.AppendLine($"      bootstrap = {List(orgPeers.Select(p => p.OrgClusterEndpoint!))}");
        text.AppendLine("    }");
        text.AppendLine($"    useLeaderElection = {Bool(dynamic)}");
        text.AppendLine($"    orgLeader = {Bool(node.StaticLeader)}");
        if (dynamic)
        {
            text.AppendLine("    # Faster than the defaults (15s, 10s, 5s), for a small local network.");
            text.AppendLine("    election { startupGracePeriod = 5s, leaderAliveThreshold = 5s, leaderElectionDuration = 2s }");
        }
        text.AppendLine("  }");
        text.AppendLine("  # A local network: retry an unreachable orderer at least every 5 s (default: backoff up to 3600s).");
        text.AppendLine("  deliveryclient.reConnectBackoffThreshold = 5s");
        text.AppendLine(network.Tls
            ? "  # Mutual TLS on every listener, with the files cryptogen wrote in mspConfigPath (tls/, tlscacerts/)."
            : "  # Plain TCP (network init --tls off): anyone who reaches a port can connect; for local experiments only.");
        text.AppendLine($"  tls.enabled = {Bool(network.Tls)}");
        text.AppendLine("  channels = [");
        text.AppendLine($"    {{ name = {Quote(network.Channel)}, orgs = {List(network.Orgs)}, orderers = {List([network.Orderer.Endpoint])}, ordererOrg = {Quote(network.OrdererOrg)} }}");
        text.AppendLine("  ]");
        text.AppendLine("}");
        text.AppendLine("# /status, /healthz, /metrics of this peer.");
        text.AppendLine($"operations.listenAddress = {Quote(new Uri(node.Operations!).Authority)}");
        return text.ToString();
    }

    private static string Orderer(NetworkManifest network, NetworkNode node)
    {
        var (host, port) = SplitEndpoint(node.Endpoint);
        var text = new StringBuilder();
        text.AppendLine($"# {node.Name} of {node.Org}, the solo ordering node of channel {network.Channel}. Written by `gossip-node network init`.");
        text.AppendLine($"# Start it by hand: gossip-node orderer --config {node.Config}");
        text.AppendLine("orderer {");
        text.AppendLine("  General {");
        text.AppendLine($"    ListenAddress = {Quote(host)}");
        text.AppendLine($"    ListenPort = {port}");
        text.AppendLine("    # This node's own directory from cryptogen: its identity, the CA certificates it trusts, its TLS material.");
        text.AppendLine($"    LocalMSPDir = {Quote(NetworkPlanner.NodeCryptoDirectory(network.Directory, node))}");
        text.AppendLine($"    LocalMSPID = {Quote(node.Org)}");
        text.AppendLine($"    Id = {Quote(node.Name)}");
        text.AppendLine(network.Tls
            ? "    # Mutual TLS: LocalMSPDir/tls/server.crt presented, every TLS CA of LocalMSPDir/tlscacerts/ accepted (peers, submit --msp)."
            : "    # Plain TCP (network init --tls off): anyone who reaches the port can connect; for local experiments only.");
        text.AppendLine($"    TLS.Enabled = {Bool(network.Tls)}");
        text.AppendLine("  }");
        text.AppendLine($"  FileLedger.Location = {Quote(node.DataDirectory)}");
        text.AppendLine("  BatchTimeout = 2s");
        text.AppendLine("  BatchSize { MaxMessageCount = 10 }");
        text.AppendLine("  Channels = [");
        text.AppendLine($"    {{ orgs = {List(network.Orgs)}, name = {Quote(network.Channel)} }}");
        text.AppendLine("  ]");
        if (node.Operations is not null)
        {
            text.AppendLine("  # /status, /healthz, /metrics of this orderer (orderer_deliver_sent_bytes_total: what network up reports per block).");
            text.AppendLine($"  Operations.ListenAddress = {Quote(new Uri(node.Operations).Authority)}");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>A HOCON quoted string (backslashes of Windows paths and quotes escaped).</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
