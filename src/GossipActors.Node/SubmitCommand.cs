using System.CommandLine;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Ordering;
using GossipActors.Protocol.Wire;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node submit --orderer HOST:PORT --channel NAME --count N --msp DIR [--size BYTES] [--in-flight N] [--tls false]</c>:
/// submits N transactions (pipelined, at most --in-flight unanswered), each signed with the identity in DIR (a node
/// directory written by cryptogen, e.g. crypto/Org1/peer0.org1: node.cert, node.key; its organisation must be a writer
/// of the channel), and prints how many were accepted and how long it took. It connects with mutual TLS, presenting
/// DIR/tls/server.crt and accepting the orderer's certificate if a CA in DIR/tlscacerts/ issued it; `--tls false` uses
/// plain TCP (for an orderer with orderer.General.TLS.Enabled = false).
/// Exit codes: 0 all accepted, 1 some refused or unanswered, 2 bad arguments, 3 identity or TLS material missing or unreadable.
/// </summary>
internal static class SubmitCommand
{
    public const int Ok = 0;
    public const int NotAllAccepted = 1;
    public const int BadArguments = 2;
    public const int BadCryptoMaterial = 3;

    public static Command Create()
    {
        var orderer = new Option<string>("--orderer") { Description = "The orderer's host:port.", Required = true };
        var channel = new Option<string>("--channel") { Description = "The channel to submit to.", Required = true };
        var count = new Option<int>("--count") { Description = "How many transactions.", Required = true };
        var size = new Option<int>("--size") { Description = "Bytes per transaction.", DefaultValueFactory = _ => 100 };
        var inFlight = new Option<int>("--in-flight") { Description = "Most transactions unanswered at once.", DefaultValueFactory = _ => 1000 };
        var msp = new Option<string>("--msp")
        {
            Description = "The submitting identity's directory (node.cert, node.key, as cryptogen writes it); its org must be a writer of the channel.",
            Required = true,
        };
        var useTls = new Option<bool>("--tls")
        {
            Description = "Connect with mutual TLS using DIR's tls/ and tlscacerts/ (default true; false = plain TCP).",
            DefaultValueFactory = _ => true,
        };
        var command = new Command("submit", "Submit signed transactions to an ordering node (broadcast).") { orderer, channel, count, size, inFlight, msp, useTls };
        command.SetAction(async parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var endpoint = parse.GetValue(orderer)!;
            var n = parse.GetValue(count);
            var bytes = parse.GetValue(size);
            var window = parse.GetValue(inFlight);
            if (!ValidEndpoint(endpoint) || n < 0 || bytes < 1 || window < 1)
            {
                await stderr.WriteLineAsync($"--orderer must be host:port (got \"{endpoint}\"), --count >= 0 (got {n}), --size >= 1 (got {bytes}), --in-flight >= 1 (got {window})");
                return BadArguments;
            }
            NodeIdentity signer;
            try
            {
                signer = NodeDirectory.Open(parse.GetValue(msp)!).LoadIdentity();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"--msp \"{parse.GetValue(msp)}\": cannot load the submitting identity: {ex.Message}");
                return BadCryptoMaterial;
            }
            using var signing = signer;
            TlsMaterial? tls = null;
            if (parse.GetValue(useTls) && parse.GetValue(msp) is { } mspDir)
            {
                try
                {
                    tls = TlsMaterial.LoadNodeDirectory(mspDir, "--msp");
                }
                catch (InvalidDataException ex)
                {
                    await stderr.WriteLineAsync("TLS material: " + ex.Message);
                    return BadCryptoMaterial;
                }
            }
            using var material = tls;
            var (host, _) = HostPort.Parse(endpoint);
            var config = ConfigurationFactory.ParseString($$"""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp {
                  hostname = "{{(host is "localhost" or "127.0.0.1" ? "127.0.0.1" : "0.0.0.0")}}"
                  port = 0
                  enable-ssl = {{(tls is null ? "off" : "on")}}
                }
                akka.loglevel = WARNING
                """).WithFallback(ReferenceConfig.Load());
            var bootstrap = BootstrapSetup.Create().WithConfig(config);
            using var system = tls is null
                ? ActorSystem.Create("submit", ActorSystemSetup.Create(bootstrap))
                : ActorSystem.Create("submit", ActorSystemSetup.Create(bootstrap, TlsTrust.Setup(tls.Certificate, tls.AcceptedCas, "submit")));
            var path = OrdererNode.ActorPath(endpoint, BoundaryConfig.Protocol(config, tls is not null));
            var report = await Broadcast.RunAsync(system, signer, path, parse.GetValue(channel)!, n, bytes, window);
            var seconds = Math.Max(report.Elapsed.TotalSeconds, 1e-9);
            await stdout.WriteLineAsync($"accepted {report.Accepted} of {n} transactions of {bytes} bytes in {report.Elapsed.TotalSeconds:F3} s ({report.Accepted / seconds:F0} tx/s)");
            foreach (var (status, howMany) in report.ByStatus.Where(s => s.Key != BroadcastStatus.Accepted).OrderBy(s => s.Key))
            {
                await stdout.WriteLineAsync($"  {status}: {howMany}");
            }
            if (report.Error is not null)
            {
                await stderr.WriteLineAsync(report.Error);
                if (OutboundTlsFailureGuard.TlsFailure(system) is { } tlsFailure)
                {
                    await stderr.WriteLineAsync($"{tlsFailure}: the orderer's TLS certificate must come from a CA in {Path.Combine(parse.GetValue(msp) ?? "--msp", "tlscacerts")}, " +
                        "and this node's TLS CA must be one the orderer accepts (orderer.General.TLS.RootCAs, its peer orgs' TLS CAs).");
                }
            }
            await system.Terminate();
            return report.Accepted == n && report.Error is null ? Ok : NotAllAccepted;
        });
        return command;
    }

    private static bool ValidEndpoint(string endpoint)
    {
        try
        {
            return HostPort.Parse(endpoint).Port > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
