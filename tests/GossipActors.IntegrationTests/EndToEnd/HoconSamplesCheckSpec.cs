using System.CommandLine;
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
/// Every file in hocon/ passes `gossip-node peer|orderer --config FILE --check` in a directory holding `cryptogen`'s
/// output, so the check covers the configuration, the crypto paths the sample names (identity and TLS material) and
/// the listeners. The samples' ports are fixed by design; --check only probes them (bind and release). If one is taken
/// on this machine, the check exits 2 naming it, after the configuration and the crypto material were validated: that
/// outcome is accepted and nothing else is.
/// Every sample is checked by the node commands in this process (the samples' relative paths resolve against the
/// working directory, switched to the crypto folder for the check; integration specs run one at a time); one sample is
/// also checked as a user runs it, a child process, killed after 120 s at most.
/// </summary>
public sealed class HoconSamplesCheckSpec(SampleCryptoFixture crypto) : IClassFixture<SampleCryptoFixture>
{
    private static readonly Lock WorkingDirectory = new();

    private static string HoconDirectory() => Path.Combine(Path.GetDirectoryName(StatusSchema.DocsDirectory())!, "hocon");

    public static TheoryData<string> Samples()
    {
        var hocon = HoconDirectory();
        return [.. Directory.EnumerateFiles(hocon, "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(hocon, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    private static string CommandOf(string sample) => Path.GetFileName(sample).StartsWith("orderer", StringComparison.Ordinal) ? "orderer" : "peer";

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_passes_the_check_of_its_node_command(string sample)
    {
        var command = CommandOf(sample);
        var root = new RootCommand { PeerCommand.Create(() => new Dictionary<string, string>()), OrdererCommand.Create() };
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int exitCode;
        lock (WorkingDirectory)
        {
            var previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = crypto.Root;
            try
            {
                exitCode = root.Parse([command, "--config", Path.Combine(HoconDirectory(), sample), "--check"])
                    .Invoke(new InvocationConfiguration { Output = output, Error = errors });
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }

        AssertChecked(command, sample, exitCode, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task The_peer_sample_passes_its_check_in_a_child_process_as_a_user_runs_it()
    {
        const string sample = "peer.conf";
        var command = CommandOf(sample);
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, command, "--config", Path.Combine(HoconDirectory(), sample), "--check"])
        {
            WorkingDirectory = crypto.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed child would leave its diagnostics IPC files in the temporary folder
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
            AssertChecked(command, sample, process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static void AssertChecked(string command, string sample, int exitCode, string output, string errors)
    {
        if (exitCode == 2 && errors.Contains("already in use", StringComparison.Ordinal))
        {
            return; // a sample port is taken on this machine: configuration and crypto were valid (see the summary)
        }
        Assert.True(exitCode == 0, $"{command} --check of {sample}: exit {exitCode}\nstdout: {output}\nstderr: {errors}");
        Assert.Contains("configuration valid", output, StringComparison.Ordinal);
    }
}
