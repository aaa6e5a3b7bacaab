using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Hyperion;
using Hyperion.Internal;
using AkkaSerializer = Akka.Serialization.Serializer;
using HyperionSerializer = Hyperion.Serializer;

namespace GossipActors.Serialization;

/// <summary>
/// Hyperion for the node's own control-plane records (<see cref="IControlMessage"/>), restricted to an allow-list:
/// a type name outside it is refused before any type is loaded, Hyperion's unsafe types are refused even if listed,
/// the root must be an allow-listed <see cref="IControlMessage"/>, and <see cref="IActorRef"/> fields travel as
/// paths. Every refusal is a <see cref="SerializationException"/>. Never the format of gossip between organisations.
/// </summary>
public sealed class ControlPlaneSerializer : AkkaSerializer
{
    /// <summary>The name under akka.actor.serializers and akka.actor.serialization-settings.</summary>
    public const string ConfigName = "control-plane";

    private const string AllowedTypesKey = "allowed-types";
    private readonly HyperionSerializer _hyperion;

    /// <summary>Used by Akka when akka.actor.serialization-settings.control-plane is absent.</summary>
    public ControlPlaneSerializer(ExtendedActorSystem system) : this(system, null)
    {
    }

    /// <summary>Used by Akka with akka.actor.serialization-settings.control-plane.</summary>
    public ControlPlaneSerializer(ExtendedActorSystem system, Config? config) : base(system)
    {
        var section = SettingsReader.Section(config, system.Settings.Config, ConfigName);
        MaxPayloadBytes = SettingsReader.PositiveByteSize(section, ConfigName, "max-payload-bytes");
        var fromConfig = ControlPlaneAllowList.FromConfig(
            section.GetStringList(AllowedTypesKey, []), $"{SettingsReader.SettingsRoot}.{ConfigName}.{AllowedTypesKey}");
        var fromCode = system.Settings.Setup.Get<ControlPlaneSetup>().Select(s => s.AllowedTypes).GetOrElse([]);
        AllowList = new ControlPlaneAllowList(fromConfig.Concat(fromCode));

        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            ActorRefSurrogate.From,
            surrogate => surrogate.Resolve(system)!);
        var options = new SerializerOptions(
            versionTolerance: false,
            preserveObjectReferences: false,
            surrogates: [actorRefs],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: [],
            disallowUnsafeTypes: true,
            typeFilter: AllowList);
        _hyperion = new HyperionSerializer(options);
    }

    public override int Identifier => SerializerIds.ControlPlane;

    public override bool IncludeManifest => false;

    /// <summary>The largest payload sent or accepted, in bytes.</summary>
    public int MaxPayloadBytes { get; }

    public ControlPlaneAllowList AllowList { get; }

    public override byte[] ToBinary(object obj)
    {
        var type = obj?.GetType();
        if (type is null || !AllowList.IsAllowedRoot(type))
        {
            throw new SerializationException(
                $"Refusing to send {type?.FullName ?? "null"} on the control plane: not an allow-listed {nameof(IControlMessage)}.");
        }
        using var stream = new MemoryStream();
        _hyperion.Serialize(obj, stream);
        if (stream.Length > MaxPayloadBytes)
        {
            throw new SerializationException(
                $"Refusing to send a {type.Name} of {stream.Length} bytes: above control-plane max-payload-bytes ({MaxPayloadBytes}).");
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type? type)
    {
        if (bytes.Length > MaxPayloadBytes)
        {
            throw new SerializationException(
                $"Refused a control-plane payload of {bytes.Length} bytes: above max-payload-bytes ({MaxPayloadBytes}).");
        }
        object? result;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            result = _hyperion.Deserialize(stream);
        }
        catch (UserEvilDeserializationException ex)
        {
            throw new SerializationException(
                $"Refused a control-plane payload of {bytes.Length} bytes: it names a type outside {SettingsReader.SettingsRoot}.{ConfigName}.{AllowedTypesKey} ({ex.Message}).", ex);
        }
        catch (EvilDeserializationException ex)
        {
            throw new SerializationException(
                $"Refused a control-plane payload of {bytes.Length} bytes: it names one of Hyperion's unsafe types ({ex.Message}).", ex);
        }
        catch (Exception ex)
        {
            // Hyperion's own refusals (type not allowed, unsafe type) and any failure on malformed bytes, including a
            // length prefix too large to allocate: all are the sender's fault, none may take the receiver down.
            throw new SerializationException($"Refused a control-plane payload of {bytes.Length} bytes: {ex.Message}", ex);
        }
        var rootType = result?.GetType();
        if (rootType is null || !AllowList.IsAllowedRoot(rootType))
        {
            throw new SerializationException(
                $"Refused a control-plane payload whose root is {rootType?.FullName ?? "null"}: not an allow-listed {nameof(IControlMessage)}.");
        }
        return result!;
    }
}
