using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Reads a <see cref="Block"/> whose header bytes and transactions are slices of the block's bytes, not copies (the
/// generated parser copies each transaction: for a 100 KB block a second large-object-heap array per block). A
/// <see cref="ByteString"/> is immutable, so its memory may be shared. Returns null for anything outside the plain
/// layout (unknown field, unexpected wire type, a field repeated where the generated parser would merge, truncated or
/// malformed bytes): the caller then uses the generated parser, so the result is always what it would give.
/// </summary>
public static class AliasingBlockReader
{
    private const int LengthDelimited = 2;

    public static Block? TryRead(ByteString bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var memory = bytes.Memory;
        var block = new Block();
        var cursor = new WireCursor(memory.Span);
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType) || wireType != LengthDelimited
                || !cursor.TryReadLengthDelimited(out var offset, out var length))
            {
                return null;
            }
            var slice = memory.Slice(offset, length);
            switch (field)
            {
                case 1:
                    block.HeaderBytes = UnsafeByteOperations.UnsafeWrap(slice);
                    break;
                case 2 when block.Data is null && TryData(slice) is { } data:
                    block.Data = data;
                    break;
                case 3 when block.Metadata is null && TryMetadata(slice.Span) is { } metadata:
                    block.Metadata = metadata;
                    break;
                default:
                    return null;
            }
        }
        return block;
    }

    private static BlockData? TryData(ReadOnlyMemory<byte> memory)
    {
        var data = new BlockData();
        var cursor = new WireCursor(memory.Span);
        while (!cursor.AtEnd)
        {
            if (!cursor.TryReadTag(out var field, out var wireType) || field != 1 || wireType != LengthDelimited
                || !cursor.TryReadLengthDelimited(out var offset, out var length))
            {
                return null;
            }
            data.Transactions.Add(UnsafeByteOperations.UnsafeWrap(memory.Slice(offset, length)));
        }
        return data;
    }

    /// <summary>Signature and certificate are small: the generated parser reads them (null if they do not parse).</summary>
    private static BlockMetadata? TryMetadata(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return BlockMetadata.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
