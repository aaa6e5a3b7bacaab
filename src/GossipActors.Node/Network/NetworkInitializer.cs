using GossipActors.Boundary;
using GossipActors.Crypto;

namespace GossipActors.Node.Network;

/// <summary>
/// Writes a whole local network into a directory: crypto material (<see cref="CryptoMaterialGenerator"/>, the
/// orderer's org included), one HOCON file per node (<see cref="NodeConfigText"/>), empty data/ and logs/ directories,
/// and last the manifest DIR/network.json (so a manifest means a complete network). Never overwrites: a directory that
/// already has a manifest or crypto material is refused.
/// </summary>
internal static class NetworkInitializer
{
    /// <param name="takePorts">Gives n distinct free ports (<see cref="FreeLoopbackPorts.Take"/>; tests pass fixed ones).</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names each problem).</exception>
    /// <exception cref="NetworkExistsException">The directory already holds a network.</exception>
    /// <exception cref="CryptoMaterialExistsException">The directory already holds crypto material.</exception>
    public static NetworkManifest Initialize(string directory, NetworkOptions options, DateTimeOffset now, Func<int, IReadOnlyList<int>> takePorts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(takePorts);
        var manifestPath = NetworkManifest.PathIn(directory);
        if (File.Exists(manifestPath))
        {
            throw new NetworkExistsException(manifestPath);
        }
        var network = NetworkPlanner.Plan(directory, options, takePorts(NetworkPlanner.PortsNeeded(options)));
        // Valid from a minute ago: a node started at once on another clock reading must not see a future certificate.
        CryptoMaterialGenerator.Generate(NetworkPlanner.CryptoDirectory(network.Directory), options.OrgNames, options.PeersPerOrg, options.OrdererOrg,
            now.AddMinutes(-1), TimeSpan.FromDays(365));
        Directory.CreateDirectory(Path.Combine(network.Directory, "config"));
        Directory.CreateDirectory(network.LogDirectory);
        foreach (var node in network.Nodes)
        {
            File.WriteAllText(node.Config, NodeConfigText.For(network, node));
            Directory.CreateDirectory(node.DataDirectory);
        }
        File.WriteAllText(manifestPath, network.ToJson());
        return network;
    }
}
