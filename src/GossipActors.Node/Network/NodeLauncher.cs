using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GossipActors.Node.Network;

/// <summary>
/// Starts gossip-node processes (peers, the orderer) as children and makes sure none outlives it:
/// <list type="bullet">
/// <item>each child's stdout and stderr go to DIR/logs/&lt;name&gt;.log and &lt;name&gt;.err.log;</item>
/// <item>each child's stdin is a pipe this launcher holds open, and the child runs with
/// <see cref="StopOnStdinEofVariable"/>=1: when this process is gone (even by SIGKILL) the child reads end-of-file and
/// shuts itself down;</item>
/// <item><see cref="StopAllAsync"/> (and <see cref="DisposeAsync"/>) sends SIGTERM to every child and SIGKILL to
/// those still running after the stop timeout; at process exit (or on an unhandled exception) any child left is killed;
/// <see cref="StopOnSignals"/> does the same on Ctrl-C, SIGTERM or SIGHUP.</item>
/// </list>
/// Tests use <see cref="Kill"/> (SIGKILL one node) and <see cref="RestartAsync"/>.
/// </summary>
internal sealed class NodeLauncher : IAsyncDisposable
{
    /// <summary>Set to 1 in every child: a peer or orderer that reads end-of-file on stdin then shuts down gracefully.</summary>
    public const string StopOnStdinEofVariable = "GOSSIP_STOP_ON_STDIN_EOF";

    private readonly string _logDirectory;
    private readonly NodeExecutable _executable;
    private readonly TimeSpan _stopTimeout;
    private readonly List<NodeProcess> _children = [];
    private readonly List<PosixSignalRegistration> _signals = [];
    private readonly CancellationTokenSource _signalled = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <param name="logDirectory">Where the children's log files go (created if absent).</param>
    /// <param name="stopTimeout">How long a child has to stop after SIGTERM before it is killed (default 10 s).</param>
    public NodeLauncher(string logDirectory, NodeExecutable? executable = null, TimeSpan? stopTimeout = null)
    {
        _logDirectory = Path.GetFullPath(logDirectory);
        _executable = executable ?? NodeExecutable.Find();
        _stopTimeout = stopTimeout ?? TimeSpan.FromSeconds(10);
        Directory.CreateDirectory(_logDirectory);
        AppDomain.CurrentDomain.ProcessExit += KillAllOnExit;
        AppDomain.CurrentDomain.UnhandledException += KillAllOnExit;
    }

    /// <summary>The children started and not yet reaped by a stop, a kill or a restart, oldest first.</summary>
    public IReadOnlyList<NodeProcess> Children
    {
        get
        {
            lock (_gate)
            {
                return [.. _children];
            }
        }
    }

    /// <summary>Starts <c>gossip-node peer|orderer --config FILE</c> for a node of a generated network.</summary>
    public NodeProcess Start(NetworkNode node, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(node.Name, node.Arguments, environment);

    /// <summary>Starts <c>gossip-node ARGUMENTS</c> as a child named <paramref name="name"/> (the log files' name).</summary>
    /// <param name="environment">Variables set for this child on top of this process's environment.</param>
    public NodeProcess Start(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var variables = environment ?? new Dictionary<string, string>();
        var start = _executable.StartInfo(arguments);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment[StopOnStdinEofVariable] = "1";
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }
        var outputLog = Path.Combine(_logDirectory, name + ".log");
        var errorLog = Path.Combine(_logDirectory, name + ".err.log");
        var output = OpenLog(outputLog);
        var error = OpenLog(errorLog);
        Process process;
        lock (_gate)
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}: {start.FileName}");
            WriteHeader(output, $"{name} (pid {process.Id}): gossip-node {string.Join(' ', arguments)}");
            var child = new NodeProcess(name, arguments, variables, process, outputLog, errorLog, Watch(process, output, error));
            _children.Add(child);
            return child;
        }
    }

    /// <summary>SIGKILL: the node dies at once, as in a crash. Completes when it has exited.</summary>
    public async Task<int> Kill(NodeProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.HasExited)
        {
            KillQuietly(node);
        }
        var code = await node.Exited.ConfigureAwait(false);
        Forget(node);
        return code;
    }

    /// <summary>SIGTERM, then SIGKILL if it is still running after the stop timeout. Completes with its exit code.</summary>
    public async Task<int> StopAsync(NodeProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.HasExited)
        {
            if (!ProcessSignals.Terminate(node.Process))
            {
                // No SIGTERM here (Windows): closing stdin asks the child to stop (GOSSIP_STOP_ON_STDIN_EOF).
                CloseStdin(node);
            }
            var stopped = await Task.WhenAny(node.Exited, Task.Delay(_stopTimeout)).ConfigureAwait(false) == node.Exited;
            if (!stopped)
            {
                KillQuietly(node);
            }
        }
        var code = await node.Exited.ConfigureAwait(false);
        Forget(node);
        return code;
    }

    /// <summary>Stops the node (<see cref="StopAsync"/>) and starts it again with the same arguments and environment.</summary>
    public async Task<NodeProcess> RestartAsync(NodeProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        await StopAsync(node).ConfigureAwait(false);
        return Start(node.Name, node.Arguments, node.Environment);
    }

    /// <summary>Stops every child at once (SIGTERM, then SIGKILL after the stop timeout).</summary>
    public Task StopAllAsync() => Task.WhenAll(Children.Select(StopAsync));

    /// <summary>
    /// On SIGINT (Ctrl-C), SIGTERM or SIGHUP: keeps this process alive, stops every child and cancels the returned
    /// token, so the caller can finish (print, exit) after <see cref="StopAllAsync"/>.
    /// </summary>
    public CancellationToken StopOnSignals()
    {
        lock (_gate)
        {
            if (_signals.Count == 0)
            {
                foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                {
                    _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
                }
            }
        }
        return _signalled.Token;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await StopAllAsync().ConfigureAwait(false);
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= KillAllOnExit;
            AppDomain.CurrentDomain.UnhandledException -= KillAllOnExit;
            lock (_gate)
            {
                _signals.ForEach(s => s.Dispose());
                _signals.Clear();
            }
            _signalled.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _signalled.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        _ = StopAllAsync();
    }

    private void KillAllOnExit(object? sender, EventArgs e)
    {
        foreach (var child in Children.Where(c => !c.HasExited))
        {
            KillQuietly(child);
        }
    }

    private void Forget(NodeProcess node)
    {
        lock (_gate)
        {
            _children.Remove(node);
        }
        node.Process.Dispose();
    }

    private static void KillQuietly(NodeProcess node)
    {
        try
        {
            node.Process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited meanwhile.
        }
    }

    private static void CloseStdin(NodeProcess node)
    {
        try
        {
            node.Process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already closed, or the child is gone.
        }
    }

    /// <summary>Copies the child's output into its log files; completes with its exit code when both streams ended.</summary>
    private static async Task<int> Watch(Process process, FileStream output, FileStream error)
    {
        await using (output.ConfigureAwait(false))
        await using (error.ConfigureAwait(false))
        {
            await Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(output),
                process.StandardError.BaseStream.CopyToAsync(error),
                process.WaitForExitAsync()).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            await error.FlushAsync().ConfigureAwait(false);
        }
        var code = process.ExitCode;
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is broken: the child is gone, which is what closing it was for.
        }
        return code;
    }

    /// <summary>Unbuffered: what a child wrote is in its file at once (a person or a test tails it).</summary>
    private static FileStream OpenLog(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite, Options = FileOptions.Asynchronous, BufferSize = 0 });

    private static void WriteHeader(FileStream output, string what)
    {
        var header = System.Text.Encoding.UTF8.GetBytes($"==== {DateTimeOffset.UtcNow:O} started {what}{Environment.NewLine}");
        output.Write(header);
        output.Flush();
    }
}
