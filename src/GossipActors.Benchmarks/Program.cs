using BenchmarkDotNet.Running;
using GossipActors.Benchmarks;

// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*'
// dotnet run -c Release --project src/GossipActors.Benchmarks -- verify-ratio   (paired, load-robust verify ratio)
// dotnet run -c Release --project src/GossipActors.Benchmarks -- catch-up --blocks 10000 --block-bytes 102400
// dotnet run -c Release --project src/GossipActors.Benchmarks -- orderer --count 20000 --size 200 --block-txs 100
// dotnet run -c Release --project src/GossipActors.Benchmarks -- wire-costs   (per-message CPU and bytes for the simulator)
// dotnet run -c Release --project src/GossipActors.Benchmarks -- load-costs   (what the machine's load adds: CPU stretch, hop and hand-off latency, SQLite per block)
// dotnet run -c Release --project src/GossipActors.Benchmarks -- real-dissemination --peers 12 --blocks 30 --mode enhanced
// dotnet run -c Release --project src/GossipActors.Benchmarks -- failover --rounds 5 --config both   (leader killed -> next block at a survivor)
// dotnet run -c Release --project src/GossipActors.Benchmarks -- mac-vs-signature   (paired: session MAC vs Ed25519 per message)
if (args is ["mac-vs-signature"])
{
    return MacVsSignatureCheck.Run();
}
if (args is ["verify-ratio"])
{
    return VerifyRatioCheck.Run();
}
if (args is ["catch-up", ..])
{
    return await GossipActors.Benchmarks.RealNetwork.CatchUpRun.Run(args[1..]);
}
if (args is ["orderer", ..])
{
    return await GossipActors.Benchmarks.Ordering.OrdererRun.Run(args[1..]);
}
if (args is ["wire-costs", ..])
{
    return await GossipActors.Benchmarks.WireCosts.WireCostsRun.Run(args[1..]);
}
if (args is ["load-costs", ..])
{
    return await GossipActors.Benchmarks.WireCosts.LoadCostsRun.Run(args[1..]);
}
if (args is ["failover", ..])
{
    return await GossipActors.Benchmarks.Failover.FailoverRun.Run(args[1..]);
}
if (args is ["real-dissemination", ..])
{
    return await GossipActors.Benchmarks.RealNetwork.RealDisseminationRun.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
