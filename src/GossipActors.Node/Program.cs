using System.CommandLine;
using GossipActors.Node;

var root = new RootCommand("gossip-node: Hyperledger Fabric's gossip protocol as an Akka.NET actor runtime.");
foreach (var command in NodeCommands.All())
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
