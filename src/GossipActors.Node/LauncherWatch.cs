namespace GossipActors.Node;

/// <summary>
/// Children never outlive their launcher: with <c>GOSSIP_STOP_ON_STDIN_EOF=1</c> a node reads its standard input
/// until end of file and then stops gracefully. A launcher (<c>network up</c>) starts its children with a stdin pipe
/// that only it holds; when the launcher exits, for whatever reason (SIGKILL included), the kernel closes that pipe
/// and every child sees end of file. Whatever is written to the pipe is read and ignored.
/// </summary>
internal static class LauncherWatch
{
    public const string Variable = "GOSSIP_STOP_ON_STDIN_EOF";

    /// <summary>Whether the environment asks for the watch (the variable is "1" or "true").</summary>
    public static bool Requested(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(Variable, out var value) && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <paramref name="input"/> on a background thread until end of file (or a read error), then calls <paramref name="onEndOfFile"/> once.</summary>
    public static void Start(Stream input, Action onEndOfFile)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onEndOfFile);
        // A dedicated thread: the read blocks for the node's whole life and must not hold a pool thread.
        var thread = new Thread(() =>
        {
            var buffer = new byte[512];
            try
            {
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // A broken pipe is the launcher gone, as much as end of file is.
            }
            onEndOfFile();
        })
        {
            IsBackground = true,
            Name = "launcher-watch",
        };
        thread.Start();
    }
}
