namespace GossipActors.Logging;

/// <summary>An Akka log event as handed to Microsoft.Extensions.Logging: its text and when it happened (not when it is written).</summary>
public sealed record LogLine(DateTimeOffset Timestamp, string Text)
{
    public static readonly Func<LogLine, Exception?, string> Format = (line, _) => line.Text;

    public override string ToString() => Text;
}
