using System.CommandLine;

namespace GossipActors.Node;

/// <summary>`gossip-node simulate ...`: deterministic simulations of the protocol cores in virtual time.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var command = new Command("simulate", "Run a seeded, deterministic simulation of the protocol cores in virtual time.");
        command.Subcommands.Add(SimulateDisseminationCommand.Create());
        return command;
    }
}
