using System.CommandLine;
using GossipActors.Node;

var root = new RootCommand("gossip-node: Hyperledger Fabric's gossip protocol as an Akka.NET actor runtime.");
foreach (var command in NodeCommands.All())
{
    root.Subcommands.Add(command);
}
// On Ctrl-C or SIGTERM a command's cancellation token fires (nodes stop through their host's console lifetime);
// a command still running this long after is abandoned with 130 or 143. System.CommandLine's default is 2 s, shorter
// than a graceful stop that leaves the org cluster and closes the ledgers.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
return await root.Parse(args).InvokeAsync(invocation);
