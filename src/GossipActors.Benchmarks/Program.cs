using BenchmarkDotNet.Running;
using GossipActors.Benchmarks;

// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*'
// dotnet run -c Release --project src/GossipActors.Benchmarks -- verify-ratio   (paired, load-robust verify ratio)
if (args is ["verify-ratio"])
{
    return VerifyRatioCheck.Run();
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
