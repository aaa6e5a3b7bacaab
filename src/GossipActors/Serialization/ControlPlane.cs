using Akka.Configuration;
using Akka.Serialization;
using Akka.Serialization.Hyperion;

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

    /// <summary>The serializer, its binding and its settings (the type filter comes with <see cref="Setup"/>).</summary>
    public static Config SerializerConfig() => ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.{{SerializerName}} = "{{typeof(HyperionSerializer).FullName}}, {{typeof(HyperionSerializer).Assembly.GetName().Name}}"
          serialization-bindings {
            "{{typeof(IControlMessage).FullName}}, {{typeof(IControlMessage).Assembly.GetName().Name}}" = {{SerializerName}}
          }
          serialization-settings.{{SerializerName}} {
            preserve-object-references = off
            version-tolerance = off
            disallow-unsafe-type = on
          }
        }
        """);

    /// <summary>The Hyperion setup: the allow-list of <paramref name="knownTypes"/> plus those configured under <see cref="AllowedTypesKey"/>.</summary>
    public static HyperionSerializerSetup Setup(IEnumerable<Type> knownTypes, Config config)
    {
        var configured = ControlPlaneAllowList.FromConfig(config.GetStringList(AllowedTypesKey, []) ?? [], AllowedTypesKey);
        return HyperionSerializerSetup.Empty
            .WithPreserveObjectReference(false)
            .WithVersionTolerance(false)
            .WithDisallowUnsafeType(true)
            .WithTypeFilter(new ControlPlaneAllowList(knownTypes.Concat(configured)));
    }
}
