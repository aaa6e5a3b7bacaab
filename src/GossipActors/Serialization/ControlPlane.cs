using Akka.Configuration;
using Akka.Serialization;

namespace GossipActors.Serialization;

/// <summary>
/// The org's control plane: Akka.Serialization.Hyperion for <see cref="IControlMessage"/> records, registered only in
/// the org system, where every connecting node is of the own organisation (mutual TLS pinned to its TLS CA). The
/// protections: Hyperion's unsafe types refused, a type filter that refuses any type name outside the allow-list before
/// a type is loaded, no object references, no version tolerance.
/// </summary>
public static class ControlPlane
{
    /// <summary>The serializer's name under akka.actor.serializers and serialization-settings.</summary>
    public const string SerializerName = "hyperion";

    /// <summary>More allowed types, by assembly-qualified name, on top of <see cref="KnownTypes"/>.</summary>
    public const string AllowedTypesKey = "akka.actor.serialization-settings.hyperion.allowed-types";

    /// <summary>
    /// Registers the package's <see cref="HyperionSerializer"/> (refusals counted: <see cref="CountedHyperionSerializer"/>), bound to <see cref="IControlMessage"/>, with the
    /// allow-list of <paramref name="knownTypes"/> plus those configured under <see cref="AllowedTypesKey"/>. The
    /// serializer is constructed here with its settings, because the package's own settings from configuration
    /// and <c>HyperionSerializerSetup</c> do not give Hyperion a type filter that lets a listed root type be written.
    /// </summary>
    public static SerializationSetup Setup(IEnumerable<Type> knownTypes, Config config)
    {
        var configured = ControlPlaneAllowList.FromConfig(config.GetStringList(AllowedTypesKey, []) ?? [], AllowedTypesKey);
        var allowList = new ControlPlaneAllowList(knownTypes.Concat(configured));
        var settings = new HyperionSerializerSettings(
            preserveObjectReferences: false,
            versionTolerance: false,
            knownTypesProvider: typeof(NoKnownTypesProvider),
            packageNameOverrides: [],
            surrogates: [],
            disallowUnsafeType: true,
            typeFilter: allowList);
        return SerializationSetup.Create(system =>
            [SerializerDetails.Create(SerializerName, new CountedHyperionSerializer(system, settings), [typeof(IControlMessage)])]);
    }
}

/// <summary>No Hyperion known types: every type travels by name and passes the allow-list.</summary>
internal sealed class NoKnownTypesProvider : IKnownTypesProvider
{
    public IEnumerable<Type> GetKnownTypes() => [];
}
