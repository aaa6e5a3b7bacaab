using System.Collections.Concurrent;
using System.Diagnostics;
using GossipActors.Node;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// A real <c>gossip-node</c> process: its stdout and stderr lines are kept, its stdin is a pipe held by the test, and
/// Dispose kills it (and its children) if it is still running, even when the test failed.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private NodeProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Stdout => string.Join("\n", _stdout);
    public string Stderr => string.Join("\n", _stderr);

    public static NodeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No diagnostics IPC (clr-debug-pipe-*, dotnet-diagnostic-* in the temporary folder): a child killed by a
        // test would leave them behind.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var node = new NodeProcess(Process.Start(start)!);
        node.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                node._stdout.Enqueue(e.Data);
            }
        };
        node.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                node._stderr.Enqueue(e.Data);
            }
        };
        node.Process.BeginOutputReadLine();
        node.Process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Sends SIGTERM, as systemd, docker stop or kill(1) do.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        if (kill.ExitCode != 0 && !Process.HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {Process.Id} exited {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to exit; true if it did within <paramref name="timeout"/>. Its output is complete afterwards.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            return false;
        }
        Process.WaitForExit(); // flushes the redirected streams
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Process.Dispose();
    }
}
