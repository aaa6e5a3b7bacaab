namespace GossipActors.Configuration;

/// <summary>Reports keys under peer.* that no setting reads: usually a typo, which would otherwise pass silently.</summary>
internal static class UnknownKeys
{
    public static void Report(SettingsReader r)
    {
        var known = r.KeysRead.Where(k => !k.Contains('[', StringComparison.Ordinal)).ToList();
        foreach (var (path, value) in HoconLeaves.Under(r.Config, "peer"))
        {
            if (r.KeysRead.Contains(path))
            {
                continue;
            }

            var suggestion = Closest(path, known);
            r.Report(new SettingsProblem(path, SettingsReader.Render(value), "not a known setting")
            {
                Message = $"{path} is not a known setting" + (suggestion is null ? "" : $" (did you mean {suggestion}?)"),
            });
        }
    }

    private static string? Closest(string path, IReadOnlyList<string> known)
    {
        var sameIgnoringCase = known.FirstOrDefault(k => string.Equals(k, path, StringComparison.OrdinalIgnoreCase));
        if (sameIgnoringCase is not null)
        {
            return sameIgnoringCase;
        }

        var best = known.Select(k => (Key: k, Distance: Distance(k.ToLowerInvariant(), path.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= 3 ? best.Key : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
