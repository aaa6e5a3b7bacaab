using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GossipActors.Tests.Logging;

/// <summary>Keeps every event that passes the factory's filters: category, level, text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Events);

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, ConcurrentQueue<(string, LogLevel, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
