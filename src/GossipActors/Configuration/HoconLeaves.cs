using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace GossipActors.Configuration;

/// <summary>The leaf keys of a HOCON subtree: scalars and lists, with their full paths.</summary>
internal static class HoconLeaves
{
    /// <summary>Every leaf under <paramref name="rootKey"/> (e.g. "peer"), fallbacks included.</summary>
    public static IEnumerable<(string Path, HoconValue Value)> Under(Config config, string rootKey)
    {
        // Root is the merged tree (fallbacks included); GetValue alone may not merge objects across fallbacks.
        var node = config.Root;
        foreach (var segment in rootKey.Split('.'))
        {
            if (node is null || !node.IsObject() || !node.GetObject().Items.TryGetValue(segment, out node))
            {
                return [];
            }
        }

        var leaves = new List<(string, HoconValue)>();
        Walk(node, rootKey, leaves);
        return leaves;
    }

    /// <summary>True for a HOCON list, the empty list included (which <see cref="HoconValue.IsArray"/> misses).</summary>
    public static bool IsList(this HoconValue value) =>
        value.Values.Count > 0 && value.Values.All(v => v is HoconArray);

    private static void Walk(HoconValue value, string path, List<(string, HoconValue)> leaves)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                Walk(child, $"{path}.{key}", leaves);
            }
        }
        else
        {
            leaves.Add((path, value));
        }
    }
}
