using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Reads a <see cref="SignedEnvelope"/> whose payload, signature and session fields are slices of the given array,
/// not copies. The generated parser copies every bytes field; for a state-transfer response that is a second copy of
/// megabytes, on a large-object-heap array (docs/state-transfer.md). Only for arrays that the caller hands over and
/// nobody changes afterwards (Akka.Remote gives a serializer a fresh array per message). Returns null for anything
/// outside the plain layout (an unknown field, an unexpected wire type, a repeated secret part, truncated or
/// malformed bytes): the caller then uses the generated parser, which keeps unknown fields and reports errors, so
/// the result is always what the generated parser would give.
/// </summary>
public static class AliasingEnvelopeReader
{
    private const int LengthDelimited = 2;
    private const int Varint = 0;

    public static SignedEnvelope? TryRead(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var envelope = new SignedEnvelope();
        var cursor = new WireCursor(bytes);
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType))
            {
                return null;
            }
            if (field == 6 && wireType == Varint)
            {
                if (!cursor.TryReadVarint(out var counter))
                {
                    return null;
                }
                envelope.SessionCounter = counter;
                continue;
            }
            if (wireType != LengthDelimited || !cursor.TryReadLengthDelimited(out var offset, out var length))
            {
                return null;
            }
            var slice = UnsafeByteOperations.UnsafeWrap(bytes.AsMemory(offset, length));
            switch (field)
            {
                case 1:
                    envelope.Payload = slice;
                    break;
                case 2:
                    envelope.Signature = slice;
                    break;
                case 3 when envelope.SecretEnvelope is null && TrySecret(bytes.AsSpan(offset, length)) is { } secret:
                    envelope.SecretEnvelope = secret;
                    break;
                case 4:
                    envelope.SessionMac = slice;
                    break;
                case 5:
                    envelope.SessionId = slice;
                    break;
                default:
                    return null;
            }
        }
        return envelope;
    }

    /// <summary>The org-internal part is small: the generated parser reads it (null if it does not parse).</summary>
    private static SecretEnvelope? TrySecret(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return SecretEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
