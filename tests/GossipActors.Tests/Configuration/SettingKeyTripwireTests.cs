using System.Reflection;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

/// <summary>Fails when a settings property has no key in reference.conf, or a key in reference.conf is read by nobody.</summary>
public sealed class SettingKeyTripwireTests
{
    private static readonly Type[] SettingsRecords =
    [
        .. typeof(PeerSettings).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(PeerSettings).Namespace && t.IsPublic && t.Name.EndsWith("Settings", StringComparison.Ordinal)),
    ];

    private static IEnumerable<(Type Record, PropertyInfo Property)> SettableProperties() =>
        SettingsRecords.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.Name != "EqualityContract")
            .Select(p => (t, p)));

    private static IEnumerable<string> TopLevelKeys() =>
        SettableProperties()
            .Where(x => x.Record != typeof(ChannelSettings))
            .Select(x => x.Property.GetCustomAttribute<SettingKeyAttribute>()?.Key)
            .OfType<string>();

    [Fact]
    public void SettingsRecords_AreAllFound()
    {
        Assert.Equal(13, SettingsRecords.Length);
        Assert.All(SettingsRecords, t => Assert.True(t.IsSealed, $"{t.Name} should be sealed"));
    }

    [Fact]
    public void EverySettableProperty_HasASettingKey_OrIsAModuleRecord()
    {
        var missing = SettableProperties()
            .Where(x => x.Property.GetCustomAttribute<SettingKeyAttribute>() is null && !SettingsRecords.Contains(x.Property.PropertyType))
            .Select(x => $"{x.Record.Name}.{x.Property.Name}");

        Assert.Empty(missing);
    }

    [Fact]
    public void EverySettingKey_ExistsInReferenceConf()
    {
        var reference = ReferenceConfig.Load();

        var missing = TopLevelKeys().Where(key => !reference.HasPath(key)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryPeerKeyInReferenceConf_IsReadBySomeProperty()
    {
        Assert.Empty(ReferenceKeys.Leaves().Except(TopLevelKeys()));
    }

    [Fact]
    public void EverySettingKey_IsUsedOnce()
    {
        var duplicates = TopLevelKeys().GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void ChannelEntryKeys_AreDocumentedInReferenceConf()
    {
        var channelKeys = SettableProperties()
            .Where(x => x.Record == typeof(ChannelSettings))
            .Select(x => x.Property.GetCustomAttribute<SettingKeyAttribute>()!.Key)
            .ToList();

        Assert.Equal(4, channelKeys.Count);
        Assert.All(channelKeys, key => Assert.Contains($"{key} = ", ReferenceConfig.RawText, StringComparison.Ordinal));
    }
}
