using System.CommandLine;
using GossipActors.Node.Network;

namespace GossipActors.Node;

/// <summary>The subcommands of gossip-node, one file each.</summary>
internal static class NodeCommands
{
    public static IEnumerable<Command> All() =>
    [
        CryptogenCommand.Create(),
        PeerCommand.Create(),
        OrdererCommand.Create(),
        SubmitCommand.Create(),
        SimulateCommand.Create(),
        StatusCommand.Create(),
        LedgerStressCommand.Create(),
        NetworkCommand.Create(),
    ];
}
