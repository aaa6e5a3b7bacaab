using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GossipActors.Logging;

/// <summary>
/// Akka's logger (registered with Akka.Hosting's ConfigureLoggers): writes each Akka log event to
/// Microsoft.Extensions.Logging under its module's name (<see cref="LoggerNames"/>), with Akka's own chatter at DEBUG
/// (<see cref="AkkaChatter"/>) and the time the event happened.
/// </summary>
public sealed class AkkaLogRouter : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public AkkaLogRouter()
    {
        var setup = Context.System.Settings.Setup.Get<AkkaLogRouterSetup>();
        _factory = setup.HasValue ? setup.Value.LoggerFactory : NullLoggerFactory.Instance;
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent logEvent:
                Route(logEvent);
                return true;
            default:
                return false;
        }
    }

    private void Route(LogEvent logEvent)
    {
        var name = LoggerNames.For(logEvent.LogClass);
        if (!_loggers.TryGetValue(name, out var logger))
        {
            logger = _factory.CreateLogger(name);
            _loggers[name] = logger;
        }
        var level = AkkaChatter.LevelOf(logEvent, name);
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var text = logEvent.Message?.ToString() ?? "";
        logger.Log(level, default, new LogLine(new DateTimeOffset(DateTime.SpecifyKind(logEvent.Timestamp, DateTimeKind.Utc)), text),
            logEvent.Cause, LogLine.Format);
    }
}
