using Microsoft.Extensions.Logging;

namespace GossipActors.Operations;

/// <summary>
/// A logging specification in Fabric's FABRIC_LOGGING_SPEC syntax: terms separated by ':', each either a level (the
/// default) or <c>logger[,logger...]=level</c>. A logger name applies to itself and its dotted descendants
/// (<c>gossip</c> covers <c>gossip.comm</c>); a name ending in '.' applies to that logger only. The most specific
/// name wins. Example: <c>gossip.election=debug:gossip.comm.=warn:info</c>. Levels: debug, info, warn (warning),
/// error, and dpanic, panic, fatal (all critical here).
/// </summary>
public sealed class LogSpec
{
    private static readonly Dictionary<string, LogLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warn"] = LogLevel.Warning,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        ["dpanic"] = LogLevel.Critical,
        ["panic"] = LogLevel.Critical,
        ["fatal"] = LogLevel.Critical,
    };

    private readonly Dictionary<string, LogLevel> _byLogger;

    private LogSpec(LogLevel defaultLevel, Dictionary<string, LogLevel> byLogger, string text)
    {
        Default = defaultLevel;
        _byLogger = byLogger;
        Text = text;
    }

    /// <summary>Fabric's default: everything at info.</summary>
    public static LogSpec Info { get; } = new(LogLevel.Information, new(StringComparer.Ordinal), "info");

    public LogLevel Default { get; }

    /// <summary>The specification as given (trimmed); what /logspec reports.</summary>
    public string Text { get; }

    /// <summary>Parses a specification; an empty one is <see cref="Info"/>.</summary>
    /// <exception cref="FormatException">names the bad term and the allowed levels.</exception>
    public static LogSpec Parse(string spec) =>
        TryParse(spec, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string? spec, out LogSpec parsed, out string error)
    {
        parsed = Info;
        error = "";
        var text = (spec ?? "").Trim();
        if (text.Length == 0)
        {
            return true;
        }
        var defaultLevel = LogLevel.Information;
        var byLogger = new Dictionary<string, LogLevel>(StringComparer.Ordinal);
        foreach (var term in text.Split(':'))
        {
            var equals = term.IndexOf('=', StringComparison.Ordinal);
            var levelName = (equals < 0 ? term : term[(equals + 1)..]).Trim();
            if (!Levels.TryGetValue(levelName, out var level))
            {
                error = $"invalid logging specification \"{text}\": \"{levelName}\" in term \"{term}\" is not a level; allowed: {string.Join(", ", Levels.Keys)}";
                return false;
            }
            if (equals < 0)
            {
                defaultLevel = level;
                continue;
            }
            foreach (var logger in term[..equals].Split(',').Select(l => l.Trim()))
            {
                if (logger.Length == 0 || logger == "." || logger.Any(char.IsWhiteSpace))
                {
                    error = $"invalid logging specification \"{text}\": term \"{term}\" names an empty or malformed logger";
                    return false;
                }
                byLogger[logger] = level;
            }
        }
        parsed = new LogSpec(defaultLevel, byLogger, text);
        return true;
    }

    /// <summary>The level in force for a logger: its exact entry ("name."), else its own or nearest ancestor's entry, else the default.</summary>
    public LogLevel LevelFor(string logger)
    {
        if (_byLogger.TryGetValue(logger + ".", out var exact))
        {
            return exact;
        }
        var candidate = logger;
        while (candidate.Length > 0)
        {
            if (_byLogger.TryGetValue(candidate, out var level))
            {
                return level;
            }
            var dot = candidate.LastIndexOf('.');
            if (dot <= 0)
            {
                break;
            }
            candidate = candidate[..dot];
        }
        return Default;
    }

    /// <summary>The lowest level any logger may log at under this specification.</summary>
    public LogLevel Lowest => _byLogger.Values.Append(Default).Min();

    public override string ToString() => Text;
}
