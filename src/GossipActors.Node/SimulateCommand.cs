using System.CommandLine;

namespace GossipActors.Node;

/// <summary><c>gossip-node simulate ...</c>: deterministic, virtual-time simulations of the protocol cores.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var command = new Command("simulate", "Run a protocol core for many peers in virtual time (seeded, reproducible).");
        command.Subcommands.Add(SimulateMembershipCommand.Create());
        command.Subcommands.Add(SimulateDisseminationCommand.Create());
        command.Subcommands.Add(SimulateElectionCommand.Create());
        return command;
    }
}
