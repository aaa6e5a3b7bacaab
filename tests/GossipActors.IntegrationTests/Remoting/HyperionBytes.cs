using Hyperion;

namespace GossipActors.IntegrationTests.Remoting;

/// <summary>Bytes as an unrestricted Hyperion writes them: what a careless or hostile sender can produce.</summary>
internal static class HyperionBytes
{
    public static byte[] Unrestricted(object value)
    {
        using var stream = new MemoryStream();
        new Serializer(new SerializerOptions(
            versionTolerance: false, preserveObjectReferences: false, surrogates: null, serializerFactories: null,
            knownTypes: null, ignoreISerializable: true, packageNameOverrides: [], disallowUnsafeTypes: false,
            typeFilter: DisabledTypeFilter.Instance)).Serialize(value, stream);
        return stream.ToArray();
    }
}
