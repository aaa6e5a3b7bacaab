using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// Fabric's environment variables over HOCON: CORE_ + the key's path upper-cased with dots as underscores
/// (peer.gossip.useLeaderElection is CORE_PEER_GOSSIP_USELEADERELECTION), matched case-insensitively against every key
/// that exists under peer.*. A list key (bootstrap, anchorPeers) takes a space- or comma-separated value, as Fabric
/// does. peer.channels (a list of objects) has no variable. The environment is passed in, never read here.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "CORE_";

    /// <summary>Fabric names the operations endpoint without "peer."; its variable is accepted for ours.</summary>
    private static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["CORE_OPERATIONS_LISTENADDRESS"] = "peer.operations.listenAddress",
    };

    /// <summary>The variable that overrides <paramref name="key"/>: "peer.gossip.orgLeader" -> "CORE_PEER_GOSSIP_ORGLEADER".</summary>
    public static string VariableName(string key) => Prefix + key.ToUpperInvariant().Replace('.', '_');

    /// <summary>
    /// A config holding only the overridden keys, to put in front of <paramref name="config"/> (whose keys under
    /// peer.* decide which variables count; pass it with reference.conf behind it).
    /// </summary>
    public static Config From(Config config, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                variables[name] = value;
            }
        }

        var hocon = new StringBuilder();
        var overridden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value) in HoconLeaves.Under(config, "peer"))
        {
            if (variables.TryGetValue(VariableName(path), out var text) && Append(hocon, path, value.IsList(), text))
            {
                overridden.Add(path);
            }
        }

        foreach (var (alias, path) in Aliases)
        {
            if (!overridden.Contains(path) && variables.TryGetValue(alias, out var text) && config.HasPath(path))
            {
                Append(hocon, path, isList: false, text);
            }
        }

        return hocon.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(hocon.ToString());
    }

    private static bool Append(StringBuilder hocon, string path, bool isList, string text)
    {
        if (path == "peer.channels")
        {
            return false;
        }

        hocon.Append(path).Append(" = ");
        if (isList)
        {
            hocon.Append('[')
                .AppendJoin(", ", SettingsReader.SplitList(text).Select(item => JsonSerializer.Serialize(item)))
                .Append(']');
        }
        else
        {
            hocon.Append(JsonSerializer.Serialize(text));
        }

        hocon.Append('\n');
        return true;
    }
}
