using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>Assembles a peer's configuration: environment variables over user HOCON over reference.conf.</summary>
public static class PeerConfig
{
    /// <summary>
    /// Fabric's CORE_* variables (from <paramref name="environment"/>) over <paramref name="user"/> over the embedded
    /// reference.conf. Read the result with <see cref="PeerSettings.FromConfig"/>.
    /// </summary>
    public static Config Load(Config? user, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var withDefaults = ReferenceConfig.WithFallback(user ?? Config.Empty);
        return EnvironmentOverrides.From(withDefaults, environment).WithFallback(withDefaults);
    }

    /// <summary>
    /// <see cref="Load"/> with the HOCON file at <paramref name="path"/> as the user config. Files are self-contained
    /// (no include).
    /// </summary>
    public static Config LoadFile(string path, IReadOnlyDictionary<string, string> environment) =>
        Load(ConfigurationFactory.ParseString(File.ReadAllText(path)), environment);
}
