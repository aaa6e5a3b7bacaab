using Spectre.Console;
using Spectre.Console.Rendering;

namespace GossipActors.Node.Network;

/// <summary>Where a run shows its progress: the live view model each poll, and notes (phases, problems).</summary>
internal interface IRunView
{
    void Show(LiveViewModel model);

    void Note(string line);
}

/// <summary>
/// Non-interactive output (redirected, CI): a plain line per change of heights or leaders, and at least every
/// <see cref="Heartbeat"/> while nothing changes; notes as lines.
/// </summary>
internal sealed class PlainRunView(TextWriter output) : IRunView
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private string? _lastKey;
    private TimeSpan _lastPrinted = TimeSpan.MinValue;

    public void Show(LiveViewModel model)
    {
        if (model.ProgressKey == _lastKey && model.Elapsed - _lastPrinted < Heartbeat)
        {
            return;
        }
        _lastKey = model.ProgressKey;
        _lastPrinted = model.Elapsed;
        output.WriteLine(model.PlainLine());
    }

    public void Note(string line) => output.WriteLine(line);
}

/// <summary>An interactive terminal: the Spectre.Console table redrawn in place, the latest notes under it.</summary>
internal sealed class LiveRunView(LiveDisplayContext context) : IRunView
{
    private const int NotesKept = 6;
    private readonly List<string> _notes = [];
    private IRenderable _table = new Text("");

    public void Show(LiveViewModel model)
    {
        _table = LiveTable.Render(model);
        Redraw();
    }

    public void Note(string line)
    {
        _notes.Add(line);
        if (_notes.Count > NotesKept)
        {
            _notes.RemoveAt(0);
        }
        Redraw();
    }

    private void Redraw()
    {
        context.UpdateTarget(new Rows([_table, .. _notes.Select(n => new Text(n))]));
        context.Refresh();
    }

    /// <summary>Runs <paramref name="body"/> with a live view on a terminal, or plain lines on <paramref name="output"/> otherwise.</summary>
    public static async Task<T> RunAsync<T>(bool interactive, TextWriter output, Func<IRunView, Task<T>> body)
    {
        if (!interactive)
        {
            return await body(new PlainRunView(output)).ConfigureAwait(false);
        }
        T result = default!;
        await AnsiConsole.Live(new Text("starting the network ...")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context => result = await body(new LiveRunView(context)).ConfigureAwait(false)).ConfigureAwait(false);
        return result;
    }

    /// <summary>True when stdout is a terminal that can redraw (not redirected, not CI).</summary>
    public static bool IsInteractiveTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
        && AnsiConsole.Profile.Capabilities.Ansi;
}
