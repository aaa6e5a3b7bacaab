using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// The keys that are read and validated (so Fabric configurations load, and a bad value is still an error) but do
/// nothing yet, each with why. `peer --check` prints them and the peer logs them once at start; one set to another
/// value than reference.conf's default is a warning, since the operator expects an effect. Whoever makes a key act
/// removes its entry here, with a test of the effect.
/// </summary>
public static class KeysWithoutEffect
{
    public static IReadOnlyList<KeyWithoutEffect> All { get; } =
    [
        new("peer.gossip.skipBlockVerification", "reserved, as in Fabric: blocks are always verified"),
    ];

    /// <summary>The keys without effect that <paramref name="config"/> sets to another value than reference.conf's default.</summary>
    public static IReadOnlyList<(KeyWithoutEffect Key, string Value)> ChangedIn(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reference = ReferenceConfig.Load();
        var changed = new List<(KeyWithoutEffect, string)>();
        foreach (var key in All)
        {
            if (config.HasPath(key.Key) && reference.HasPath(key.Key))
            {
                var value = SettingsReader.Render(config.GetValue(key.Key));
                if (value != SettingsReader.Render(reference.GetValue(key.Key)))
                {
                    changed.Add((key, value));
                }
            }
        }
        return changed;
    }
}

/// <summary>A key accepted without effect yet, and why.</summary>
public sealed record KeyWithoutEffect(string Key, string Why);
