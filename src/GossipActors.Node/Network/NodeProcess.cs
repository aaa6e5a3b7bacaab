using System.Diagnostics;

namespace GossipActors.Node.Network;

/// <summary>
/// One child node process started by <see cref="NodeLauncher"/>: its stdout and stderr go to <see cref="OutputLog"/>
/// and <see cref="ErrorLog"/> (appended across restarts); its stdin is a pipe held by the launcher, so the child sees
/// end-of-file when the launcher is gone, however it went.
/// </summary>
internal sealed class NodeProcess
{
    private readonly Process _process;

    internal NodeProcess(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        Process process, string outputLog, string errorLog, Task<int> exited)
    {
        Name = name;
        Arguments = arguments;
        Environment = environment;
        _process = process;
        Id = process.Id;
        OutputLog = outputLog;
        ErrorLog = errorLog;
        Exited = exited;
    }

    public string Name { get; }

    /// <summary>The gossip-node arguments it was started with (e.g. peer --config FILE).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The environment variables set for it beyond the launcher's own.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Its process id (kept after it exited).</summary>
    public int Id { get; }

    public string OutputLog { get; }

    public string ErrorLog { get; }

    /// <summary>Completes with the exit code once the process exited and its output is in the log files.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    internal Process Process => _process;

    public override string ToString() => $"{Name} (pid {Id})";
}
