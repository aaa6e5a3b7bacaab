using System.CommandLine;
using GossipActors.Boundary;
using GossipActors.Crypto;

namespace GossipActors.Node.Network;

/// <summary>
/// <c>gossip-node network init --dir DIR [--orgs 2] [--peers-per-org 3] [--channel ch1] [--election dynamic|static]
/// [--tls on|off]</c>: writes crypto material, one HOCON file per node on free loopback ports, and DIR/network.json.
/// Exit codes: 0 written, 2 bad arguments, 3 the directory already holds a network or crypto material, 4 I/O failure.
/// </summary>
internal static class NetworkInitCommand
{
    public const int Ok = 0;
    public const int BadArguments = 2;
    public const int AlreadyExists = 3;
    public const int IoFailure = 4;

    public static Command Create() => Create(TimeProvider.System, FreeLoopbackPorts.Take);

    public static Command Create(TimeProvider time, Func<int, IReadOnlyList<int>> takePorts)
    {
        var directory = new Option<string>("--dir") { Description = "The network directory (created if absent).", Required = true };
        var orgs = new Option<int>("--orgs") { Description = "Peer organisations (Org1, Org2, ...).", DefaultValueFactory = _ => 2 };
        var peers = new Option<int>("--peers-per-org") { Description = "Peers per organisation (peer0.org1, ...; peer0 is the anchor peer).", DefaultValueFactory = _ => 3 };
        var channel = new Option<string>("--channel") { Description = "The channel every peer joins.", DefaultValueFactory = _ => "ch1" };
        var election = new Option<string>("--election") { Description = "dynamic: each org elects its leader; static: peer0 of each org leads.", DefaultValueFactory = _ => "dynamic" };
        election.AcceptOnlyFromAmong("dynamic", "static");
        var tls = new Option<string>("--tls") { Description = "on: mutual TLS on every listener; off: plain TCP (local experiments).", DefaultValueFactory = _ => "on" };
        tls.AcceptOnlyFromAmong("on", "off");
        var command = new Command("init", "Write crypto material and one configuration file per node (orderer included) on free loopback ports.")
        {
            directory, orgs, peers, channel, election, tls,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new NetworkOptions(parse.GetValue(orgs), parse.GetValue(peers), parse.GetValue(channel)!,
                parse.GetValue(election) == "static" ? ElectionMode.Static : ElectionMode.Dynamic, parse.GetValue(tls) != "off");
            if (options.Problems() is { Count: > 0 } problems)
            {
                problems.ToList().ForEach(p => stderr.WriteLine("network init: " + p));
                return BadArguments;
            }
            try
            {
                var network = NetworkInitializer.Initialize(parse.GetValue(directory)!, options, time.GetUtcNow(), takePorts);
                stdout.WriteLine($"network init: {options.Orgs} orgs x {options.PeersPerOrg} peers and an orderer on channel {options.Channel}, "
                    + $"{options.Election.ToString().ToLowerInvariant()} election, TLS {(options.Tls ? "on" : "off")}, in {network.Directory}");
                foreach (var node in network.Nodes)
                {
                    stdout.WriteLine($"  {node.Name,-24} {node.Endpoint,-21} {node.Operations ?? "",-28} gossip-node {string.Join(' ', node.Arguments)}");
                }
                stdout.WriteLine($"manifest: {NetworkManifest.PathIn(network.Directory)}");
                return Ok;
            }
            catch (Exception ex) when (ex is NetworkExistsException or CryptoMaterialExistsException)
            {
                stderr.WriteLine("network init: " + ex.Message);
                return AlreadyExists;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine("network init: " + ex.Message);
                return IoFailure;
            }
        });
        return command;
    }
}
