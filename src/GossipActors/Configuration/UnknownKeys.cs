namespace GossipActors.Configuration;

/// <summary>
/// Reports keys that no setting reads, under peer.*, operations.* and metrics.*, and top-level sections we do not have:
/// usually a typo, which would otherwise pass silently (akka.* is Akka's own and left to it).
/// </summary>
internal static class UnknownKeys
{
    /// <summary>
    /// The top-level sections of a node's configuration: ours (Fabric's places), the ordering node's (read by
    /// OrdererSettings, ignored by peers; reference.conf carries its defaults) and Akka's.
    /// </summary>
    public static readonly IReadOnlyList<string> TopLevelSections = ["peer", "operations", "metrics", "logging", "orderer", "akka"];

    /// <summary>The sections whose every leaf must be a known setting.</summary>
    public static readonly IReadOnlyList<string> SettingSections = ["peer", "operations", "metrics"];

    public static void Report(SettingsReader r)
    {
        ReportTopLevel(r);
        var known = r.KeysRead.Where(k => !k.Contains('[', StringComparison.Ordinal)).ToList();
        foreach (var (path, value) in SettingSections.SelectMany(section => HoconLeaves.Under(r.Config, section)))
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

    private static void ReportTopLevel(SettingsReader r)
    {
        if (r.Config.Root is not { } root || !root.IsObject())
        {
            return;
        }
        foreach (var (key, value) in root.GetObject().Items)
        {
            if (!TopLevelSections.Contains(key, StringComparer.Ordinal))
            {
                var known = string.Join(", ", TopLevelSections);
                r.Report(new SettingsProblem(key, SettingsReader.Render(value), $"not a known top-level section (known: {known})")
                {
                    Message = $"{key} is not a known top-level section of a peer's configuration (known: {known}); "
                              + "Fabric's other core.yaml sections have no meaning here",
                });
            }
        }
    }

    internal static string? Closest(string path, IReadOnlyList<string> known)
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
