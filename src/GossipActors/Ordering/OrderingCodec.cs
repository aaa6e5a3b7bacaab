using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ordering;

/// <summary>Wraps ordering messages into <see cref="OrderingEnvelope"/>s and opens them without throwing.</summary>
public static class OrderingCodec
{
    public static OrderingEnvelope Unsigned(OrderingMessage message) => new() { Payload = message.ToByteString() };

    /// <summary>Serializes once and signs those exact bytes.</summary>
    public static OrderingEnvelope Sign(OrderingMessage message, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = message.ToByteArray();
        return new OrderingEnvelope
        {
            Payload = UnsafeByteOperations.UnsafeWrap(payload),
            Signature = UnsafeByteOperations.UnsafeWrap(key.Sign(payload)),
        };
    }

    public static bool TryOpen(OrderingEnvelope envelope, out OrderingMessage? message, out string? error)
    {
        try
        {
            message = OrderingMessage.Parser.ParseFrom(envelope.Payload);
            error = message.ContentCase == OrderingMessage.ContentOneofCase.None ? "the message has no content" : null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            message = null;
            error = "malformed ordering message: " + ex.Message;
        }
        return error is null;
    }

    /// <summary>A transaction signed by the submitting client, with its certificate.</summary>
    public static OrderingEnvelope Broadcast(string channel, ulong id, ByteString transaction, NodeIdentity client) =>
        Sign(new OrderingMessage
        {
            Broadcast = new BroadcastTransaction { Channel = channel, Id = id, Transaction = transaction, Certificate = client.Certificate.Bytes },
        }, client.Key);

    public static OrderingEnvelope BroadcastAnswer(ulong id, BroadcastStatus status, string info) =>
        Unsigned(new OrderingMessage { BroadcastResponse = new BroadcastResponse { Id = id, Status = status, Info = info } });

    public static OrderingEnvelope Status(string channel, DeliverStatusCode status, ulong height, string info) =>
        Unsigned(new OrderingMessage { DeliverStatus = new DeliverStatus { Channel = channel, Status = status, Height = height, Info = info } });

    /// <summary>A deliver request signed by the requesting peer, with its certificate.</summary>
    public static OrderingEnvelope DeliverRequest(string channel, ulong start, NodeIdentity identity, DateTimeOffset now) =>
        Sign(new OrderingMessage
        {
            DeliverRequest = new DeliverRequest
            {
                Channel = channel,
                Start = start,
                Certificate = identity.Certificate.Bytes,
                TimestampMs = (ulong)now.ToUnixTimeMilliseconds(),
            },
        }, identity.Key);

    public static OrderingEnvelope Ack(string channel, ulong? number) =>
        Unsigned(new OrderingMessage { DeliverAck = new DeliverAck { Channel = channel, Number = number ?? 0, HasNumber = number is not null } });
}
