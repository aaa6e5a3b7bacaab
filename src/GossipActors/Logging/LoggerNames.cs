namespace GossipActors.Logging;

/// <summary>
/// The logger names an operator writes in a logging specification, as Fabric's (<c>gossip.discovery</c>,
/// <c>gossip.election</c>, ...): one per module, derived from the class that logs. Akka's own classes log as
/// <c>akka.remote</c>, <c>akka.cluster</c>, ...; anything else keeps its category (Microsoft.AspNetCore...).
/// </summary>
public static class LoggerNames
{
    private static readonly Dictionary<string, string> Modules = new(StringComparer.Ordinal)
    {
        ["Comm"] = "gossip.comm",
        ["Boundary"] = "gossip.comm",
        ["Discovery"] = "gossip.discovery",
        ["Election"] = "gossip.election",
        ["Channels"] = "gossip.channel",
        ["Ledger"] = "gossip.state",
        ["Delivery"] = "gossip.delivery",
        ["Hosting"] = "gossip.node",
        ["Operations"] = "operations",
        ["Ordering"] = "orderer",
    };

    /// <summary>The name for a class: its module's, <c>akka.&lt;module&gt;</c> for Akka's, else its full name.</summary>
    public static string For(Type? type) => type is null ? "akka" : ForCategory(type.FullName ?? type.Name);

    /// <summary>The name for a category (a class's full name, or a name already in our form, which is kept).</summary>
    public static string ForCategory(string? category)
    {
        if (string.IsNullOrEmpty(category))
        {
            return "node";
        }
        var parts = category.Split('.');
        if (parts.Length >= 2 && parts[0] == "GossipActors")
        {
            return Modules.TryGetValue(parts[1], out var module) ? module : "gossip." + parts[1].ToLowerInvariant();
        }
        if (parts[0] == "Akka")
        {
            return parts.Length >= 2 && parts[1].Length > 0 && char.IsUpper(parts[1][0]) && parts.Length > 2
                ? "akka." + parts[1].ToLowerInvariant()
                : "akka";
        }
        return category;
    }
}
