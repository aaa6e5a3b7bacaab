using System.CommandLine;

namespace GossipActors.Node.Network;

/// <summary><c>gossip-node network ...</c>: a local multi-process network (one subcommand per file).</summary>
internal static class NetworkCommand
{
    public static Command Create() => new("network", "A local network of an orderer and peers, each its own process.")
    {
        NetworkInitCommand.Create(),
        NetworkUpCommand.Create(),
        NetworkCompareCommand.Create(),
    };
}
