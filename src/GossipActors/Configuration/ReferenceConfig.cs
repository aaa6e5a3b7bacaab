using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>The embedded reference.conf: every default of GossipActors, merged behind user configuration.</summary>
public static class ReferenceConfig
{
    private const string ResourceName = "GossipActors.reference.conf";
    private static readonly Lazy<string> Text = new(ReadText);

    public static string RawText => Text.Value;

    /// <summary>A fresh parse of the embedded defaults.</summary>
    public static Config Load() => ConfigurationFactory.ParseString(Text.Value);

    /// <summary><paramref name="user"/> in front, the defaults behind it.</summary>
    public static Config WithFallback(Config user) => user.WithFallback(Load());

    private static string ReadText()
    {
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the GossipActors assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
