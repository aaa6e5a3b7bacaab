using System.Text;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Reads a <see cref="GossipMessage"/> carrying a <see cref="StateTransferResponse"/> with each block a slice of the
/// payload it was read from, not a copy. The generated parser copies every block of a response (megabytes, a fresh
/// large-object-heap array per response, paid again in page faults and zeroing: docs/catch-up-costs.md); the
/// envelope's payload is already a slice of the array Akka.Remote handed the serializer
/// (<see cref="AliasingEnvelopeReader"/>), and a <see cref="ByteString"/> never changes, so its slices stay valid.
/// Returns null for any other content and for anything outside the plain layout (unknown field, other wire type,
/// a second content field, out-of-range number, invalid UTF-8, truncated bytes): the caller then uses the generated
/// parser, which reports errors, so the result is always what the generated parser would give.
/// </summary>
public static class AliasingStateResponseReader
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int StateResponseField = 18;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static GossipMessage? TryRead(ByteString payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var memory = payload.Memory;
        var cursor = new WireCursor(memory.Span);
        var message = new GossipMessage();
        var sawResponse = false;
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType))
            {
                return null;
            }
            switch (field, wireType)
            {
                case (1, Varint) when cursor.TryReadVarint(out var nonce):
                    message.Nonce = nonce;
                    break;
                case (3, Varint) when cursor.TryReadVarint(out var tag) && tag <= int.MaxValue:
                    message.Tag = (GossipTag)(int)tag;
                    break;
                case (2, LengthDelimited) when cursor.TryReadLengthDelimited(out var offset, out var length)
                                               && TryDecode(memory.Span.Slice(offset, length)) is { } channel:
                    message.Channel = channel;
                    break;
                case (StateResponseField, LengthDelimited) when !sawResponse && cursor.TryReadLengthDelimited(out var offset, out var length)
                                                              && TryResponse(memory.Slice(offset, length)) is { } response:
                    message.StateResponse = response;
                    sawResponse = true;
                    break;
                default:
                    return null;
            }
        }
        return sawResponse ? message : null;
    }

    private static StateTransferResponse? TryResponse(ReadOnlyMemory<byte> bytes)
    {
        var response = new StateTransferResponse();
        var cursor = new WireCursor(bytes.Span);
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType) || field != 1 || wireType != LengthDelimited
                || !cursor.TryReadLengthDelimited(out var offset, out var length)
                || TryData(bytes.Slice(offset, length)) is not { } data)
            {
                return null;
            }
            response.Payloads.Add(data);
        }
        return response;
    }

    private static DataMessage? TryData(ReadOnlyMemory<byte> bytes)
    {
        var data = new DataMessage();
        var cursor = new WireCursor(bytes.Span);
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType))
            {
                return null;
            }
            switch (field, wireType)
            {
                case (1, Varint) when cursor.TryReadVarint(out var number):
                    data.SeqNum = number;
                    break;
                case (2, LengthDelimited) when cursor.TryReadLengthDelimited(out var offset, out var length):
                    data.Block = UnsafeByteOperations.UnsafeWrap(bytes.Slice(offset, length));
                    break;
                case (3, Varint) when cursor.TryReadVarint(out var ttl) && ttl <= uint.MaxValue:
                    data.PushTtl = (uint)ttl;
                    break;
                case (4, Varint) when cursor.TryReadVarint(out var ttl) && ttl <= uint.MaxValue:
                    data.DigestTtl = (uint)ttl;
                    break;
                default:
                    return null;
            }
        }
        return data;
    }

    private static string? TryDecode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
