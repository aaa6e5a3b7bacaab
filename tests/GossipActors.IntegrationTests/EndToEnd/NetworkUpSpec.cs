using System.CommandLine;
using GossipActors.Node.Network;
using Xunit;
using Xunit.Abstractions;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 11, acceptance 1 at a small scale: `gossip-node network up --dir DIR --orgs 2 --peers-per-org 2 --blocks 5`
/// run as a command (its output redirected, so the plain-line view), the orderer and every peer its own process:
/// it writes the network, reaches the target on every peer, prints the summary with every figure measured, exits 0
/// and leaves no node process behind. Bounded in time: the command's own --timeout (240 s) and xunit's Timeout
/// (300 s); about 30 s on a quiet 2-core machine. The command stops its children itself (its launcher kills any left
/// at process exit); the test checks /proc for none left.
/// </summary>
public sealed class NetworkUpSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-up-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        var logs = Path.Combine(_root, "logs");
        foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs, "*.err.log").Order().ToArray() : [])
        {
            output.WriteLine($"---- {Path.GetFileName(file)}");
            foreach (var line in File.ReadAllLines(file).TakeLast(20))
            {
                output.WriteLine(line);
            }
        }
        KillLeftovers();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Network_up_reaches_the_target_on_every_peer_prints_the_summary_and_leaves_no_process()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var root = new RootCommand { NetworkCommand.Create() };

        var code = await root.Parse(["network", "up", "--dir", _root, "--orgs", "2", "--peers-per-org", "2", "--blocks", "5", "--timeout", "240"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Synchronized(stdout), Error = TextWriter.Synchronized(stderr) });

        output.WriteLine(stdout.ToString());
        output.WriteLine(stderr.ToString());
        Assert.True(code == NetworkUpCommand.Ok, $"network up exited {code}: {stderr}");
        var text = stdout.ToString();
        Assert.Contains("every peer has height 5", text);
        Assert.Contains("summary over 5 blocks at 4 peers (5 blocks at every peer)", text);
        Assert.Matches(@"orderer deliver bytes per block: \d+", text);
        Assert.Matches(@"CPU seconds per block, all node processes: \d", text);
        Assert.Contains("network up: stopped", text);
        Assert.Empty(Leftovers());
    }

    /// <summary>Processes whose command line names this test's directory (Linux: /proc); none elsewhere.</summary>
    private List<int> Leftovers()
    {
        var found = new List<int>();
        if (!Directory.Exists("/proc"))
        {
            return found;
        }
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(_root, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process exited meanwhile, or is not ours to read.
            }
        }
        return found;
    }

    private void KillLeftovers()
    {
        foreach (var pid in Leftovers())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }
}
