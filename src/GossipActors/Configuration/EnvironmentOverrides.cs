using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// Fabric's environment variables over HOCON: CORE_ + the key's path upper-cased with dots as underscores
/// (peer.gossip.useLeaderElection is CORE_PEER_GOSSIP_USELEADERELECTION, operations.listenAddress is
/// CORE_OPERATIONS_LISTENADDRESS), matched case-insensitively against every key that exists under peer.*,
/// operations.* and metrics.*. A list key (bootstrap, anchorPeers) takes a space- or comma-separated value, as Fabric
/// does. peer.channels (a list of objects) has no variable. A CORE_* variable that names no key is reported by
/// <see cref="UnknownVariables"/> (the peer warns at start). The environment is passed in, never read here.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "CORE_";

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
        foreach (var (path, value) in Leaves(config))
        {
            if (variables.TryGetValue(VariableName(path), out var text))
            {
                Append(hocon, path, value.IsList(), text);
            }
        }

        return hocon.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(hocon.ToString());
    }

    /// <summary>
    /// The CORE_* variables of <paramref name="environment"/> that name no key of <paramref name="config"/> (pass it with
    /// reference.conf behind it): each with the closest variable that does, when one is close (a typo such as
    /// CORE_PEER_GOSSIP_ALIVETIMEINTERVALL). Such a variable is ignored; the peer warns about it at start.
    /// </summary>
    public static IReadOnlyList<(string Variable, string? DidYouMean)> UnknownVariables(Config config, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var known = Leaves(config).Select(leaf => VariableName(leaf.Path)).ToList();
        var knownSet = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        return [.. environment.Keys
            .Where(name => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !knownSet.Contains(name))
            .Order(StringComparer.Ordinal)
            .Select(name => (name, UnknownKeys.Closest(name.ToUpperInvariant(), known)))];
    }

    private static IEnumerable<(string Path, Akka.Configuration.Hocon.HoconValue Value)> Leaves(Config config) =>
        UnknownKeys.SettingSections.SelectMany(section => HoconLeaves.Under(config, section));

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
