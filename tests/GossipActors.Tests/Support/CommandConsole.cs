using System.CommandLine;

namespace GossipActors.Tests.Support;

/// <summary>
/// What a command-line test needs: a scratch folder in the temporary directory, named <paramref name="folderPrefix"/>
/// and a fresh id (deleted on Dispose), and the output and error its commands write.
/// </summary>
public sealed class CommandConsole(string folderPrefix) : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
    public StringWriter Out { get; } = new();
    public StringWriter Error { get; } = new();

    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/> and runs them, writing to <see cref="Out"/> and <see cref="Error"/>.</summary>
    public int Run(RootCommand root, string[] args) => root.Parse(args).Invoke(new InvocationConfiguration { Output = Out, Error = Error });

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
