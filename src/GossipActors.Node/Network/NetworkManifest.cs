using System.Text.Json;
using System.Text.Json.Serialization;

namespace GossipActors.Node.Network;

/// <summary>
/// DIR/network.json, written by <c>network init</c> and read by <c>network up</c>: the network's shape and, per
/// node, its configuration file and addresses. Paths are absolute.
/// </summary>
/// <param name="Directory">The network directory (DIR).</param>
/// <param name="Nodes">The orderer first, then the peers org by org.</param>
internal sealed record NetworkManifest(
    string Directory,
    string Channel,
    ElectionMode Election,
    bool Tls,
    IReadOnlyList<string> Orgs,
    string OrdererOrg,
    IReadOnlyList<NetworkNode> Nodes)
{
    public const string FileName = "network.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    [JsonIgnore]
    public NetworkNode Orderer => Nodes.Single(n => n.Kind == NodeKind.Orderer);

    [JsonIgnore]
    public IEnumerable<NetworkNode> Peers => Nodes.Where(n => n.Kind == NodeKind.Peer);

    /// <summary>Where the node processes write their output (<c>DIR/logs</c>).</summary>
    [JsonIgnore]
    public string LogDirectory => Path.Combine(Directory, "logs");

    public static string PathIn(string directory) => Path.Combine(Path.GetFullPath(directory), FileName);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a network manifest.</exception>
    public static NetworkManifest Read(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            var manifest = JsonSerializer.Deserialize<NetworkManifest>(text, Json);
            if (manifest?.Nodes is not { Count: > 0 } || manifest.Nodes.Count(n => n.Kind == NodeKind.Orderer) != 1)
            {
                throw new InvalidDataException($"{path} is not a network manifest: it must list one orderer and its peers");
            }
            return manifest;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a network manifest: {ex.Message}", ex);
        }
    }
}

/// <summary>Which gossip-node command runs a node (its name in lower case is the command).</summary>
internal enum NodeKind
{
    Peer,
    Orderer,
}

/// <summary>One node of a generated network.</summary>
/// <param name="Name">Its id, as cryptogen named it (peer0.org1, orderer0.ordererorg); also its log files' name.</param>
/// <param name="Config">Its HOCON file: <c>gossip-node peer --config Config</c> (or <c>orderer</c>).</param>
/// <param name="Endpoint">host:port of its Akka.Remote endpoint (a peer's gossip endpoint, the orderer's listener).</param>
/// <param name="OrgClusterEndpoint">A peer's org-cluster address; null for the orderer.</param>
/// <param name="Operations">Base URL of its operations endpoint (/status, /healthz, /metrics); null when it has none.</param>
/// <param name="Anchor">An anchor peer of its org (peer0): other orgs' peers list its endpoint.</param>
/// <param name="StaticLeader">Static election only: this peer is its org's leader (orgLeader = true).</param>
internal sealed record NetworkNode(
    string Name,
    NodeKind Kind,
    string Org,
    string Config,
    string Endpoint,
    string? OrgClusterEndpoint,
    string? Operations,
    string DataDirectory,
    bool Anchor,
    bool StaticLeader)
{
    /// <summary>The gossip-node arguments that run this node.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Arguments => [Kind == NodeKind.Peer ? "peer" : "orderer", "--config", Config];
}
