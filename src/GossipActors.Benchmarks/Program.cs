using BenchmarkDotNet.Running;

// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
