using System.Globalization;
using System.Text.RegularExpressions;

namespace GossipActors.Configuration;

/// <summary>
/// Parses durations as HOCON writes them ("4s", "1500 ms", "2 minutes") and as Fabric's Go environment values do
/// ("1m30s", "1.5s"). Strict: anything else is not a duration.
/// </summary>
internal static partial class DurationFormat
{
    public const string Allowed = "must be a duration such as \"4s\", \"1500ms\" or \"2m\"";

    private static readonly Dictionary<string, double> TicksPerUnit = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ns"] = 0.01, ["nanosecond"] = 0.01, ["nanoseconds"] = 0.01, ["nanos"] = 0.01,
        ["us"] = 10, ["µs"] = 10, ["microsecond"] = 10, ["microseconds"] = 10, ["micros"] = 10,
        ["ms"] = TimeSpan.TicksPerMillisecond, ["millisecond"] = TimeSpan.TicksPerMillisecond,
        ["milliseconds"] = TimeSpan.TicksPerMillisecond, ["millis"] = TimeSpan.TicksPerMillisecond,
        ["s"] = TimeSpan.TicksPerSecond, ["second"] = TimeSpan.TicksPerSecond, ["seconds"] = TimeSpan.TicksPerSecond,
        ["m"] = TimeSpan.TicksPerMinute, ["minute"] = TimeSpan.TicksPerMinute, ["minutes"] = TimeSpan.TicksPerMinute,
        ["h"] = TimeSpan.TicksPerHour, ["hour"] = TimeSpan.TicksPerHour, ["hours"] = TimeSpan.TicksPerHour,
        ["d"] = TimeSpan.TicksPerDay, ["day"] = TimeSpan.TicksPerDay, ["days"] = TimeSpan.TicksPerDay,
    };

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        if (negative)
        {
            trimmed = trimmed[1..];
        }

        if (trimmed.Length == 0)
        {
            return false;
        }

        double ticks = 0;
        var position = 0;
        foreach (Match part in Part().Matches(trimmed))
        {
            if (part.Index != position || !TicksPerUnit.TryGetValue(part.Groups["unit"].Value, out var perUnit))
            {
                return false;
            }

            ticks += double.Parse(part.Groups["number"].Value, CultureInfo.InvariantCulture) * perUnit;
            position = part.Index + part.Length;
        }

        if (position != trimmed.Length || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>A duration as a person would write it in HOCON: "4s", "1500ms", "10ms", "1h".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return $"{duration.Ticks / 10.0:0.###}us";
        }

        var ms = duration.Ticks / TimeSpan.TicksPerMillisecond;
        return ms % 1000 == 0 ? $"{ms / 1000}s" : $"{ms}ms";
    }

    [GeneratedRegex(@"\s*(?<number>\d+(?:\.\d+)?)\s*(?<unit>[a-zA-Zµ]+)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
