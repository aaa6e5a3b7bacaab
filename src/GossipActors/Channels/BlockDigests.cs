using System.Buffers.Binary;
using Google.Protobuf;

namespace GossipActors.Channels;

/// <summary>Block numbers as pull-digest entries: 8 bytes, big-endian.</summary>
public static class BlockDigests
{
    public static ByteString Encode(ulong number)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, number);
        return ByteString.CopyFrom(bytes);
    }

    public static bool TryDecode(ByteString entry, out ulong number)
    {
        if (entry.Length != 8)
        {
            number = 0;
            return false;
        }
        number = BinaryPrimitives.ReadUInt64BigEndian(entry.Span);
        return true;
    }
}
