using Akka.Configuration;

namespace GossipActors.Serialization;

/// <summary>Reads and validates serializer settings; errors name the key, the value and what is allowed.</summary>
internal static class SettingsReader
{
    public const string SettingsRoot = "akka.actor.serialization-settings";

    /// <summary>The serializer's settings section, with the embedded defaults behind it.</summary>
    public static Config Section(Config? given, Config systemConfig, string serializerName)
    {
        var path = $"{SettingsRoot}.{serializerName}";
        var defaults = Configuration.ReferenceConfig.Load().GetConfig(path);
        var fromSystem = systemConfig.HasPath(path) ? systemConfig.GetConfig(path) : Config.Empty;
        var section = given is null || given.IsEmpty ? fromSystem : given;
        return section.WithFallback(defaults);
    }

    public static int PositiveByteSize(Config section, string serializerName, string key)
    {
        var fullKey = $"{SettingsRoot}.{serializerName}.{key}";
        long? value;
        try
        {
            value = section.GetByteSize(key);
        }
        catch (Exception ex) when (ex is ConfigurationException or FormatException or ArgumentException)
        {
            throw new ConfigurationException(
                $"{fullKey} = {section.GetString(key)} is not a byte size; use e.g. 8 MiB or 1048576b.", ex);
        }
        if (value is null or <= 0 or > int.MaxValue)
        {
            throw new ConfigurationException(
                $"{fullKey} = {section.GetString(key) ?? "(missing)"} must be a byte size between 1b and {int.MaxValue}b.");
        }
        return (int)value.Value;
    }
}
