using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using GossipActors.Channels;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Ordering;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.Ordering;

/// <summary>
/// The ordering node over real Akka.Remote on loopback, SQLite on disk: (1) transactions/s accepted from one
/// pipelined client (each accepted transaction persisted before its answer); (2) blocks/s delivered to one leader:
/// a peer (static leader, SQLite ledger) started after the chain exists pulls it from block 0, verifying and
/// committing each block, until its height is the orderer's.
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- orderer --count 20000 --size 200 --block-txs 100 --in-flight 1000</c>
/// </summary>
internal static class OrdererRun
{
    private const string Channel = "bench";

    public static async Task<int> Run(string[] args)
    {
        var count = IntArg(args, "--count", 20_000);
        var size = IntArg(args, "--size", 200);
        var blockTxs = IntArg(args, "--block-txs", 100);
        var inFlight = IntArg(args, "--in-flight", 1000);
        var window = IntArg(args, "--window", 16);
        var now = DateTimeOffset.UtcNow;
        using var org1 = CertificateAuthority.Create("Org1", now.AddDays(-1), now.AddDays(1));
        using var ordererCa = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
        using var ordererIdentity = NodeIdentity.Issue(ordererCa, "orderer0.ordererorg", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
        using var leaderIdentity = NodeIdentity.Issue(org1, "peer0.org1", NodeRole.Peer, now.AddDays(-1), now.AddDays(1));
        var verifier = new CertificateVerifier([org1.Certificate, ordererCa.Certificate]);
        var root = Directory.CreateTempSubdirectory("orderer-bench-").FullName;
        var ordererPort = FreePort();
        var ordererConfig = ConfigurationFactory.ParseString($$"""
            orderer {
              General { ListenAddress = "127.0.0.1", ListenPort = {{ordererPort}} }
              FileLedger.Location = "{{Path.Combine(root, "orderer")}}"
              BatchTimeout = 200ms
              BatchSize { MaxMessageCount = {{blockTxs}}, AbsoluteMaxBytes = 4 MiB, PreferredMaxBytes = 4 MiB }
              Deliver.Window = {{window}}
              Channels = [{ orgs = ["Org1"], name = "{{Channel}}" }]
            }
            akka.loglevel = WARNING
            """).WithFallback(ReferenceConfig.Load());
        await using var orderer = OrdererNode.Start(OrdererSettings.FromConfig(ordererConfig), ordererConfig, ordererIdentity, verifier, TimeProvider.System);
        using var client = ActorSystem.Create("submit", ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(ReferenceConfig.Load()));
        Console.WriteLine($"orderer at {orderer.Endpoint}; submitting {count} transactions of {size} B, {inFlight} in flight, blocks of {blockTxs}");

        var report = await Broadcast.RunAsync(client, leaderIdentity, OrdererNode.ActorPath(orderer.Endpoint), Channel, count, size, inFlight, TimeSpan.FromSeconds(30));
        Console.WriteLine($"broadcast: accepted {report.Accepted} of {count} in {report.Elapsed.TotalSeconds:F2} s = {report.Accepted / report.Elapsed.TotalSeconds:F0} tx/s"
            + (report.Error is null ? "" : $" ({report.Error})"));
        var status = await orderer.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10));
        while (status.Pending > 0)
        {
            await Task.Delay(100);
            status = await orderer.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10));
        }
        var height = status.Heights[Channel];

        var leaderConfig = PeerConfig.Load(ConfigurationFactory.ParseString(LeaderHocon(FreePort(), ordererPort, Path.Combine(root, "leader"))), new Dictionary<string, string>());
        var clock = Stopwatch.StartNew();
        await using var leader = PeerNode.Start(PeerSettings.FromConfig(leaderConfig), leaderConfig, leaderIdentity, verifier, TimeProvider.System, tls: null);
        ulong committed;
        ulong firstSeen = 0;
        var firstAt = TimeSpan.Zero;
        do
        {
            await Task.Delay(20);
            committed = (await leader.Peer.Ask<ChannelStatus>(new GetChannelStatus(Channel), TimeSpan.FromSeconds(10))).Height;
            if (firstSeen == 0 && committed > 0)
            {
                (firstSeen, firstAt) = (committed, clock.Elapsed);
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"the leader reached height {committed} of {height} in 5 minutes");
            }
        }
        while (committed < height);
        var streaming = clock.Elapsed - firstAt;
        Console.WriteLine($"deliver: {height} blocks ({blockTxs} tx of {size} B each) pulled, verified and committed by one leader; first block after {firstAt.TotalSeconds:F2} s (peer start, connect), "
            + $"then {height - firstSeen} blocks in {streaming.TotalSeconds:F2} s = {(height - firstSeen) / streaming.TotalSeconds:F0} blocks/s, {(height - firstSeen) * (ulong)blockTxs / streaming.TotalSeconds:F0} tx/s (window {window})");
        await client.Terminate();
        return report.Accepted == count ? 0 : 1;
    }

    private static string LeaderHocon(int port, int ordererPort, string path) => $$"""
        peer {
          id = "peer0.org1"
          localMspId = "Org1"
          address = "127.0.0.1:{{port}}"
          mspConfigPath = "in-memory"
          tls.enabled = false # the orderer speaks plain TCP (it has not adopted Boundary/ yet)
          fileSystemPath = "{{path}}"
          gossip { endpoint = "127.0.0.1:{{port}}", useLeaderElection = false, orgLeader = true }
          channels = [ { name = "{{Channel}}", orgs = ["Org1"], orderers = ["127.0.0.1:{{ordererPort}}"], ordererOrg = "OrdererOrg" } ]
        }
        akka.loglevel = WARNING
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}
