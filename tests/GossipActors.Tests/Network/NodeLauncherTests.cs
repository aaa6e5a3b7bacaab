using GossipActors.Node.Network;
using Xunit;

namespace GossipActors.Tests.Network;

/// <summary>
/// The launcher's process handling, with /bin/sh children instead of gossip-node (fast, and each behaviour scripted):
/// logs, exit codes, environment, SIGTERM then SIGKILL, restart. Each wait has a deadline.
/// </summary>
public sealed class NodeLauncherTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "gossip-launcher-" + Guid.NewGuid().ToString("N"));
    private readonly NodeLauncher _launcher;

    public NodeLauncherTests() =>
        _launcher = new NodeLauncher(_logs, new NodeExecutable("/bin/sh", []), stopTimeout: TimeSpan.FromSeconds(2));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls IAsyncLifetime (not IAsyncDisposable) on a test class: stops the children, deletes the logs.</summary>
    public async Task DisposeAsync()
    {
        await _launcher.DisposeAsync();
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    private NodeProcess Shell(string name, string script, IReadOnlyDictionary<string, string>? environment = null) =>
        _launcher.Start(name, ["-c", script], environment);

    [Fact]
    public async Task A_childs_output_and_errors_go_to_its_log_files_and_its_exit_code_is_reported()
    {
        var child = Shell("node-a", "echo to-stdout; echo to-stderr >&2; exit 3");

        Assert.Equal(3, await child.Exited.WaitAsync(Deadline));
        Assert.Contains("to-stdout", await File.ReadAllTextAsync(child.OutputLog));
        Assert.Equal("to-stderr\n", await File.ReadAllTextAsync(child.ErrorLog));
        Assert.Equal(Path.Combine(_logs, "node-a.log"), child.OutputLog);
    }

    [Fact]
    public async Task A_child_is_told_to_stop_on_stdin_eof_and_gets_the_extra_environment()
    {
        var child = Shell("node-b", $"echo \"${NodeLauncher.StopOnStdinEofVariable} $EXTRA\"", new Dictionary<string, string> { ["EXTRA"] = "given" });

        Assert.Equal(0, await child.Exited.WaitAsync(Deadline));
        Assert.Contains("1 given", await File.ReadAllTextAsync(child.OutputLog));
    }

    [Fact]
    public async Task Stop_sends_sigterm_which_a_child_may_handle_to_exit_cleanly()
    {
        var child = Shell("node-c", "trap 'echo terminated; exit 0' TERM; echo ready; while :; do sleep 0.05; done");
        await AwaitLine(child, "ready");

        var code = await _launcher.StopAsync(child).WaitAsync(Deadline);

        Assert.Equal(0, code);
        Assert.Contains("terminated", await File.ReadAllTextAsync(child.OutputLog));
        Assert.DoesNotContain(child, _launcher.Children);
    }

    [Fact]
    public async Task Stop_kills_a_child_that_ignores_sigterm_after_the_stop_timeout()
    {
        var child = Shell("node-d", "trap '' TERM; echo ready; while :; do sleep 0.05; done");
        await AwaitLine(child, "ready");

        var code = await _launcher.StopAsync(child).WaitAsync(Deadline);

        Assert.Equal(128 + 9, code); // killed by SIGKILL
    }

    [Fact]
    public async Task Kill_ends_a_child_at_once_and_restart_starts_it_again_appending_to_its_log()
    {
        var child = Shell("node-e", "echo ready; while :; do sleep 0.05; done");
        await AwaitLine(child, "ready");
        Assert.Equal(128 + 9, await _launcher.Kill(child).WaitAsync(Deadline));

        var again = await _launcher.RestartAsync(child).WaitAsync(Deadline);

        Assert.NotEqual(child.Id, again.Id);
        Assert.Equal(child.Arguments, again.Arguments);
        await AwaitLine(again, "ready", times: 2);
        Assert.Equal(2, File.ReadAllLines(again.OutputLog).Count(l => l.StartsWith("==== ", StringComparison.Ordinal)));
        Assert.Equal([again], _launcher.Children);
    }

    [Fact]
    public async Task Disposing_the_launcher_stops_every_child()
    {
        var children = Enumerable.Range(0, 3).Select(i => Shell($"node-f{i}", "echo ready; while :; do sleep 0.05; done")).ToList();
        foreach (var child in children)
        {
            await AwaitLine(child, "ready");
        }

        await _launcher.DisposeAsync();

        Assert.All(children, c => Assert.True(c.HasExited, c.ToString()));
        Assert.Empty(_launcher.Children);
    }

    /// <summary>Waits (bounded) until the child's log holds <paramref name="line"/> <paramref name="times"/> times.</summary>
    private static async Task AwaitLine(NodeProcess child, string line, int times = 1)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var watcher = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (File.ReadAllLines(child.OutputLog).Count(l => l == line) < times)
        {
            Assert.False(child.HasExited, $"{child} exited before writing '{line}'");
            await watcher.WaitForNextTickAsync(deadline.Token);
        }
    }
}
