using System.Diagnostics;
using GossipActors.Crypto;
using GossipActors.Node;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>Generated crypto material for the whole sample network (Org1, Org2, OrdererOrg), as the samples' comments say to make it.</summary>
public sealed class SampleCryptoFixture : IDisposable
{
    public SampleCryptoFixture()
    {
        Directory.CreateDirectory(Root);
        CryptoMaterialGenerator.Generate(Path.Combine(Root, "crypto"), ["Org1", "Org2"], 2, "OrdererOrg",
            DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
    }

    /// <summary>The working directory the samples' relative paths (crypto/..., data/...) resolve against.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gossip-samples-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Every file in hocon/ passes `gossip-node peer|orderer --config FILE --check`, run as a user runs it: a child process
/// in a directory holding `cryptogen`'s output, so the check covers the configuration, the crypto paths the sample
/// names (identity and TLS material) and the listeners. The samples' ports are fixed by design; --check only probes
/// them (bind and release). If one is taken on this machine, the check exits 2 naming it, after the configuration and
/// the crypto material were validated: that outcome is accepted and nothing else is.
/// Bounded: one process per sample, killed after 120 s at most.
/// </summary>
public sealed class HoconSamplesCheckSpec(SampleCryptoFixture crypto) : IClassFixture<SampleCryptoFixture>
{
    private static string HoconDirectory() => Path.Combine(Path.GetDirectoryName(StatusSchema.DocsDirectory())!, "hocon");

    public static TheoryData<string> Samples()
    {
        var hocon = HoconDirectory();
        return [.. Directory.EnumerateFiles(hocon, "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(hocon, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_passes_the_check_of_its_node_command(string sample)
    {
        var file = Path.Combine(HoconDirectory(), sample);
        var command = Path.GetFileName(sample).StartsWith("orderer", StringComparison.Ordinal) ? "orderer" : "peer";
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, command, "--config", file, "--check"])
        {
            WorkingDirectory = crypto.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("FABRIC_LOGGING_SPEC");
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("CORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            var (output, errors) = (await stdout, await stderr);
            if (process.ExitCode == 2 && errors.Contains("already in use", StringComparison.Ordinal))
            {
                return; // a sample port is taken on this machine: configuration and crypto were valid (see the summary)
            }
            Assert.True(process.ExitCode == 0, $"{command} --check of {sample}: exit {process.ExitCode}\nstdout: {output}\nstderr: {errors}");
            Assert.Contains("configuration valid", output, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
