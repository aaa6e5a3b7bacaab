using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace GossipActors.Logging;

/// <summary>
/// One line per event, as Fabric writes them: an ISO-8601 UTC timestamp with milliseconds, the level in Fabric's four
/// letters, the logger's name in brackets, the message; an exception is appended on the same line as its type and
/// message (no stack trace, which is for the debugger, not the operator). Line breaks inside a message become " | ".
/// <code>2026-11-30T17:05:12.345Z INFO [gossip.discovery] peer1.org1@Org1 (3fa4c1d2) is alive at 127.0.0.1:8051</code>
/// </summary>
public sealed class FabricConsoleFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "fabric";

    public FabricConsoleFormatter() : this(TimeProvider.System) { }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var text = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? "";
        var when = logEntry.State is LogLine line ? line.Timestamp : time.GetUtcNow();
        textWriter.Write(Format(when, logEntry.LogLevel, LoggerNames.ForCategory(logEntry.Category), text, logEntry.Exception));
        textWriter.Write('\n');
    }

    /// <summary>The line for one event, without its line break.</summary>
    public static string Format(DateTimeOffset when, LogLevel level, string logger, string text, Exception? exception)
    {
        var message = OneLine(text);
        if (exception is not null)
        {
            message += $" ({exception.GetType().Name}: {OneLine(exception.Message)})";
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{when.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Abbreviation(level)} [{logger}] {message}");
    }

    public static string Abbreviation(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBU",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERRO",
        _ => "FATA",
    };

    private static string OneLine(string text) =>
        text.Replace("\r\n", " | ", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal).Replace("\r", " | ", StringComparison.Ordinal).Trim();
}
