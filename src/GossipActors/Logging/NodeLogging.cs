using Akka.Configuration;
using Akka.Hosting;
using GossipActors.Configuration;
using GossipActors.Operations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GossipActors.Logging;

/// <summary>
/// A node's logging (docs/logging.md): Microsoft.Extensions.Logging with one console line per event on stderr
/// (<see cref="FabricConsoleFormatter"/>), Akka's events routed into it (<see cref="AkkaLogRouter"/>), and the level of
/// every logger from one specification in Fabric's syntax, changeable at run time (<see cref="Switch"/>, PUT /logspec).
/// The specification comes from FABRIC_LOGGING_SPEC if set, else from the HOCON key logging.spec (default "info").
/// </summary>
public sealed class NodeLogging
{
    public const string SpecVariable = "FABRIC_LOGGING_SPEC";
    public const string SpecKey = "logging.spec";

    public NodeLogging(LogSpec spec) => Switch = new LogLevelSwitch(spec);

    public LogLevelSwitch Switch { get; }

    /// <exception cref="SettingsException">The specification is malformed; names the variable or key, the value and the allowed levels.</exception>
    public static NodeLogging From(Config config, IReadOnlyDictionary<string, string> environment)
    {
        var (source, text) = environment.TryGetValue(SpecVariable, out var fromEnvironment) && fromEnvironment.Trim().Length > 0
            ? (SpecVariable, fromEnvironment)
            : (SpecKey, config.GetString(SpecKey, "info") ?? "info");
        if (!LogSpec.TryParse(text, out var spec, out var error))
        {
            throw new SettingsException([new SettingsProblem(source, $"\"{text}\"", error) { Message = $"{source} = \"{text}\": {error}" }]);
        }
        return new NodeLogging(spec);
    }

    /// <summary>Console on stderr, one line per event, filtered by the specification in force at each event.</summary>
    public void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(console =>
        {
            console.FormatterName = FabricConsoleFormatter.FormatterName;
            console.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        logging.AddConsoleFormatter<FabricConsoleFormatter, ConsoleFormatterOptions>();
        ConfigureFilter(logging);
    }

    /// <summary>Only the filter: every logger at the level the specification in force gives its name (read at each event).</summary>
    public void ConfigureFilter(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter((category, level) => level >= Switch.Current.LevelFor(LoggerNames.ForCategory(category)));
    }

    /// <summary>Routes an Akka.Hosting actor system's events into <paramref name="loggerFactory"/>; the specification filters them.</summary>
    public void Configure(AkkaConfigurationBuilder akka, ILoggerFactory loggerFactory)
    {
        akka.ConfigureLoggers(loggers =>
        {
            // Akka's adapters fix their enabled levels when created (every actor's at its start), so Akka publishes
            // everything from DEBUG up and the filter decides: a PUT /logspec to debug then reaches running actors.
            loggers.LogLevel = Akka.Event.LogLevel.DebugLevel;
            loggers.ClearLoggers();
            loggers.AddLogger<AkkaLogRouter>();
        });
        // Akka's fallback logger (before the router starts, after it stops) would write to stdout, which is for the command's own lines.
        akka.AddHocon(ConfigurationFactory.ParseString("akka.stdout-loglevel = OFF"), HoconAddMode.Prepend);
        akka.AddSetup(new AkkaLogRouterSetup(loggerFactory));
    }

    /// <summary>The same for an actor system started without Akka.Hosting (goes in front of its configuration; pass <see cref="AkkaLogRouterSetup"/> too).</summary>
    public Config AkkaConfig() => ConfigurationFactory.ParseString($$"""
        akka.stdout-loglevel = OFF
        akka.loggers = ["{{typeof(AkkaLogRouter).FullName}}, {{typeof(AkkaLogRouter).Assembly.GetName().Name}}"]
        akka.loglevel = DEBUG
        """);
}
