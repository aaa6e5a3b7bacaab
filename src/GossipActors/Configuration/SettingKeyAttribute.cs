namespace GossipActors.Configuration;

/// <summary>
/// The HOCON key a settings property is read from (full path, e.g. "peer.gossip.pullInterval"; for the fields of a
/// <see cref="ChannelSettings"/> entry, the path relative to the entry, e.g. "name"). Tests reflect over these to
/// check that every property has a key in reference.conf and every key is read.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SettingKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
