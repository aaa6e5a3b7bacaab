using System.Reflection;
using Google.Protobuf;
using GossipActors.Crypto;
using Newtonsoft.Json;

namespace GossipActors.Serialization;

/// <summary>A PKI-ID in JSON (Akka's fallback serializer, e.g. for a peer's API records): lower-case hex.</summary>
public sealed class PkiIdJsonConverter : JsonConverter<PkiId>
{
    public override void WriteJson(JsonWriter writer, PkiId value, JsonSerializer serializer) =>
        writer.WriteValue(value.IsEmpty ? "" : value.ToHex());

    public override PkiId ReadJson(JsonReader reader, Type objectType, PkiId existingValue, bool hasExistingValue, JsonSerializer serializer) =>
        reader.Value is string { Length: > 0 } hex ? PkiId.FromBytes(Convert.FromHexString(hex)) : default;
}

/// <summary>A protobuf message inside a JSON record: its protobuf bytes in base64, parsed back with the type's parser.</summary>
public sealed class ProtobufJsonConverter : JsonConverter
{
    public override bool CanConvert(Type objectType) => typeof(IMessage).IsAssignableFrom(objectType);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
        writer.WriteValue(value is IMessage message ? Convert.ToBase64String(message.ToByteArray()) : null);

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        if (reader.Value is not string base64)
        {
            return null;
        }
        var parser = (MessageParser)objectType.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return parser.ParseFrom(Convert.FromBase64String(base64));
    }
}
