using Akka.Event;
using MelLevel = Microsoft.Extensions.Logging.LogLevel;

namespace GossipActors.Logging;

/// <summary>
/// What Akka says about its own machinery is below an operator's default level: start-up and shutdown (INFO), and
/// the remoting and cluster chatter about connections to nodes that are down or unreachable (association failures,
/// gated addresses, seed nodes that do not answer), which gossip reports itself in its own words (a peer dead, a
/// bootstrap peer unreachable). All of it is logged at DEBUG; Akka's other warnings and errors keep their level.
/// </summary>
public static class AkkaChatter
{
    private static readonly string[] ConnectionChatter =
    [
        "Association", "association", "associate", "gated", "Disassociated", "disassociated", "quarantin",
        "seed nodes", "seed-nodes", "InitJoin", "Connection refused", "Remote system", "unreachable", "UNREACHABLE",
        "heartbeat", "Heartbeat", "dead letters", "shutting down", "Shutting down", "Shutdown",
    ];

    /// <summary>The level an event is logged at: its own, or DEBUG for Akka's chatter.</summary>
    public static MelLevel LevelOf(LogEvent logEvent, string loggerName)
    {
        var level = ToMel(logEvent.LogLevel());
        if (!loggerName.StartsWith("akka", StringComparison.Ordinal))
        {
            return level;
        }
        if (level <= MelLevel.Information)
        {
            return MelLevel.Debug;
        }
        var text = logEvent.Message?.ToString() ?? "";
        return ConnectionChatter.Any(word => text.Contains(word, StringComparison.Ordinal)) ? MelLevel.Debug : level;
    }

    public static MelLevel ToMel(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => MelLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => MelLevel.Information,
        Akka.Event.LogLevel.WarningLevel => MelLevel.Warning,
        _ => MelLevel.Error,
    };

    /// <summary>The Akka level that lets through every event a level of ours may want.</summary>
    public static Akka.Event.LogLevel ToAkka(MelLevel level) => level switch
    {
        <= MelLevel.Debug => Akka.Event.LogLevel.DebugLevel,
        MelLevel.Information => Akka.Event.LogLevel.InfoLevel,
        MelLevel.Warning => Akka.Event.LogLevel.WarningLevel,
        _ => Akka.Event.LogLevel.ErrorLevel,
    };
}
