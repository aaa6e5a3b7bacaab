using Akka.Configuration.Hocon;
using GossipActors.Configuration;

namespace GossipActors.Tests.Configuration;

/// <summary>The leaf keys of reference.conf's peer.* section, read straight from the HOCON tree.</summary>
internal static class ReferenceKeys
{
    public static IReadOnlyList<string> Leaves()
    {
        var leaves = new List<string>();
        Walk(ReferenceConfig.Load().GetValue("peer"), "peer", leaves);
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
