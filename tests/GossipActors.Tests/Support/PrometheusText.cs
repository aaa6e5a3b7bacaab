using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GossipActors.Tests.Support;

/// <summary>One sample line: its name (as written, with _bucket/_sum/_count), its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A metric family: HELP, TYPE and its samples, in the order written.</summary>
public sealed record PrometheusFamily(string Name, string Type, string Help, IReadOnlyList<PrometheusSample> Samples);

/// <summary>A line of the exposition that breaks the text format, with its number (1-based) and why.</summary>
public sealed class PrometheusFormatException(int line, string text, string reason)
    : Exception($"line {line}: {reason}: {text}");

/// <summary>
/// A strict reader of Prometheus' text exposition format 0.0.4 (what /metrics serves), for tests: every sample must
/// belong to a family declared before it with exactly one HELP and one TYPE; a family's samples are contiguous;
/// metric and label names, label syntax and escapes, and values are checked; no sample is repeated; histograms have
/// cumulative buckets ending in le="+Inf" equal to their _count; counters are never negative.
/// </summary>
public static partial class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    /// <summary>The text exposition of <paramref name="registry"/>, as /metrics writes it.</summary>
    public static string Export(Prometheus.CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="PrometheusFormatException">The first line that breaks the format.</exception>
    public static IReadOnlyDictionary<string, PrometheusFamily> Parse(string text)
    {
        var families = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        Builder? current = null;
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[^1].Length != 0)
        {
            throw new PrometheusFormatException(lines.Length, lines.LastOrDefault() ?? "", "the exposition must end with a line feed");
        }
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var number = i + 1;
            var line = lines[i];
            void Fail(string reason) => throw new PrometheusFormatException(number, line, reason);
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
                {
                    continue; // a comment
                }
                var name = parts[2];
                if (!MetricName().IsMatch(name))
                {
                    Fail($"'{name}' is not a valid metric name");
                }
                if (closed.Contains(name) || (current is not null && current.Name != name && families.ContainsKey(name)))
                {
                    Fail($"family {name} is declared again after its samples");
                }
                if (current is not null && current.Name != name)
                {
                    closed.Add(current.Name);
                }
                current = families.TryGetValue(name, out var existing) ? existing : families[name] = new Builder(name);
                var rest = parts.Length == 4 ? parts[3] : "";
                if (parts[1] == "HELP")
                {
                    if (current.Help is not null)
                    {
                        Fail($"a second HELP for {name}");
                    }
                    if (current.Samples.Count > 0)
                    {
                        Fail($"HELP of {name} after its samples");
                    }
                    current.Help = Unescape(rest, help: true, Fail);
                }
                else
                {
                    if (current.Type is not null)
                    {
                        Fail($"a second TYPE for {name}");
                    }
                    if (current.Samples.Count > 0)
                    {
                        Fail($"TYPE of {name} after its samples");
                    }
                    if (!Types.Contains(rest))
                    {
                        Fail($"'{rest}' is not a metric type");
                    }
                    current.Type = rest;
                }
                continue;
            }

            var sample = ParseSample(line, Fail);
            if (current is null || !BelongsTo(sample, current))
            {
                Fail($"sample {sample.Name} does not belong to the family declared before it ({current?.Name ?? "none"})");
            }
            if (current!.Type is null || current.Help is null)
            {
                Fail($"family {current.Name} has no {(current.Type is null ? "TYPE" : "HELP")} before its samples");
            }
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!current.Keys.Add(key))
            {
                Fail($"sample {key} is repeated");
            }
            if (current.Type == "counter" && sample.Value < 0)
            {
                Fail($"counter {sample.Name} is negative");
            }
            current.Samples.Add(sample);
        }

        foreach (var family in families.Values)
        {
            if (family.Help is null || family.Type is null)
            {
                throw new PrometheusFormatException(0, family.Name, $"family {family.Name} lacks {(family.Help is null ? "HELP" : "TYPE")}");
            }
            if (family.Type == "histogram")
            {
                CheckHistogram(family);
            }
        }
        return families.ToDictionary(f => f.Key, f => new PrometheusFamily(f.Key, f.Value.Type!, f.Value.Help!, f.Value.Samples), StringComparer.Ordinal);
    }

    private static bool BelongsTo(PrometheusSample sample, Builder family) => family.Type switch
    {
        "histogram" => sample.Name == family.Name + "_sum" || sample.Name == family.Name + "_count"
            || (sample.Name == family.Name + "_bucket" && sample.Labels.ContainsKey("le")),
        "summary" => sample.Name == family.Name + "_sum" || sample.Name == family.Name + "_count"
            || (sample.Name == family.Name && sample.Labels.ContainsKey("quantile")),
        _ => sample.Name == family.Name,
    };

    private static void CheckHistogram(Builder family)
    {
        static string Series(PrometheusSample s) =>
            string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        foreach (var series in family.Samples.GroupBy(Series))
        {
            var buckets = series.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal))
                .Select(s => (Le: ParseValue(s.Labels["le"]), s.Value)).ToList();
            var count = series.SingleOrDefault(s => s.Name == family.Name + "_count");
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Le) || count is null
                || series.SingleOrDefault(s => s.Name == family.Name + "_sum") is null)
            {
                throw new PrometheusFormatException(0, family.Name, $"histogram {family.Name}{{{series.Key}}} needs buckets ending in le=\"+Inf\", _sum and _count");
            }
            for (var i = 1; i < buckets.Count; i++)
            {
                if (buckets[i].Le <= buckets[i - 1].Le || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new PrometheusFormatException(0, family.Name, $"histogram {family.Name}{{{series.Key}}} buckets are not increasing and cumulative");
                }
            }
            if (buckets[^1].Value != count.Value)
            {
                throw new PrometheusFormatException(0, family.Name, $"histogram {family.Name}{{{series.Key}}}: the +Inf bucket differs from _count");
            }
        }
    }

    private static PrometheusSample ParseSample(string line, Action<string> fail)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }
        var name = line[..i];
        if (!MetricName().IsMatch(name))
        {
            fail($"'{name}' is not a valid metric name");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }
                var start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }
                var label = line[start..i];
                if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
                {
                    fail($"'{label}' is not a valid label name");
                }
                if (i + 1 >= line.Length || line[i + 1] != '"')
                {
                    fail($"the value of label {label} is not quoted");
                }
                i += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        fail($"the value of label {label} is not closed");
                    }
                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }
                    if (c == '\\')
                    {
                        var escaped = i < line.Length ? line[i++] : '\0';
                        value.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => Invalid(fail, $"'\\{escaped}' is not a valid escape in a label value"),
                        });
                        continue;
                    }
                    value.Append(c);
                }
                if (!labels.TryAdd(label, value.ToString()))
                {
                    fail($"label {label} is repeated");
                }
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    fail("labels must be separated by ',' and closed by '}'");
                }
            }
        }
        if (i >= line.Length || line[i] != ' ')
        {
            fail("a single space must separate the name and labels from the value");
        }
        var fields = line[(i + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2 || fields.Any(f => f.Length == 0))
        {
            fail("a sample is: name{labels} value [timestamp]");
        }
        if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            fail($"'{fields[1]}' is not a timestamp in milliseconds");
        }
        double parsed = 0;
        try
        {
            parsed = ParseValue(fields[0]);
        }
        catch (FormatException)
        {
            fail($"'{fields[0]}' is not a value");
        }
        return new PrometheusSample(name, labels, parsed);
    }

    private static char Invalid(Action<string> fail, string reason)
    {
        fail(reason);
        return '\0';
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
               && !text.Contains("Infinity", StringComparison.OrdinalIgnoreCase) => value,
        _ => throw new FormatException(text),
    };

    private static string Unescape(string text, bool help, Action<string> fail)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            var next = i + 1 < text.Length ? text[++i] : '\0';
            result.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when !help => '"',
                _ => Invalid(fail, $"'\\{next}' is not a valid escape in HELP"),
            });
        }
        return result.ToString();
    }

    private sealed class Builder(string name)
    {
        public string Name { get; } = name;
        public string? Help { get; set; }
        public string? Type { get; set; }
        public List<PrometheusSample> Samples { get; } = [];
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
