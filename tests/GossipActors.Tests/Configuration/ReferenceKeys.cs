using Akka.Configuration.Hocon;
using GossipActors.Configuration;

namespace GossipActors.Tests.Configuration;

/// <summary>The leaf keys of reference.conf's peer.*, operations.* and metrics.* sections, read straight from the HOCON tree.</summary>
internal static class ReferenceKeys
{
    public static IReadOnlyList<string> Leaves()
    {
        var leaves = new List<string>();
        foreach (var section in new[] { "peer", "operations", "metrics" })
        {
            Walk(ReferenceConfig.Load().GetValue(section), section, leaves);
        }
        return leaves;
    }

    private static void Walk(HoconValue value, string path, List<string> leaves)
    {
        if (!value.IsObject())
        {
            leaves.Add(path);
            return;
        }

        foreach (var (key, child) in value.GetObject().Items)
        {
            Walk(child, $"{path}.{key}", leaves);
        }
    }
}
