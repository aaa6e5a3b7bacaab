using System.Diagnostics;
using Akka.Actor;
using GossipActors.Hosting;
using GossipActors.Ordering;

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
        var count = BenchmarkArgs.Int(args, "--count", 20_000);
        var size = BenchmarkArgs.Int(args, "--size", 200);
        var blockTxs = BenchmarkArgs.Int(args, "--block-txs", 100);
        var inFlight = BenchmarkArgs.Int(args, "--in-flight", 1000);
        var window = BenchmarkArgs.Int(args, "--window", 16);
        using var pki = new BenchmarkPki();
        using var leaderIdentity = pki.Org1Peer("peer0.org1");
        var root = Directory.CreateTempSubdirectory("orderer-bench-").FullName;
        var ordererPort = LoopbackNodes.FreePort();
        await using var orderer = LoopbackNodes.StartOrderer($$"""
            orderer {
              General { ListenAddress = "127.0.0.1", ListenPort = {{ordererPort}} }
              FileLedger.Location = "{{Path.Combine(root, "orderer")}}"
              BatchTimeout = 200ms
              BatchSize { MaxMessageCount = {{blockTxs}}, AbsoluteMaxBytes = 4 MiB, PreferredMaxBytes = 4 MiB }
              Deliver.Window = {{window}}
              Channels = [{ orgs = ["Org1"], name = "{{Channel}}" }]
            }
            akka.loglevel = WARNING
            """, pki.Orderer, pki.Verifier);
        using var client = LoopbackNodes.SubmitClient();
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

        var leaderHocon = LeaderHocon(LoopbackNodes.FreePort(), ordererPort, Path.Combine(root, "leader"));
        var clock = Stopwatch.StartNew();
        await using var leader = LoopbackNodes.StartPeer(leaderHocon, leaderIdentity, pki.Verifier);
        ulong committed;
        ulong firstSeen = 0;
        var firstAt = TimeSpan.Zero;
        do
        {
            await Task.Delay(20);
            committed = (await LoopbackNodes.Status(leader, Channel)).Height;
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
}
