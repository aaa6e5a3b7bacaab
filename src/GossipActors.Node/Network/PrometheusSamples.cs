using System.Globalization;

namespace GossipActors.Node.Network;

/// <summary>Reads sample values out of Prometheus text (what a node serves at /metrics). Lenient: unparsable lines are skipped.</summary>
internal static class PrometheusSamples
{
    /// <summary>The sum of every sample of the metric <paramref name="name"/> (all label sets); 0 when there is none.</summary>
    public static double Sum(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var sum = 0.0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue; // another metric whose name starts with this one
            }
            var valueStart = rest[0] == '{' ? rest.LastIndexOf('}') + 1 : 0;
            var fields = rest[valueStart..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sum += value;
            }
        }
        return sum;
    }
}
