namespace GossipActors.Protocol;

/// <summary>
/// A forward cursor over protobuf wire bytes for the hand-written readers that alias large fields instead of copying
/// them (<see cref="AliasingEnvelopeReader"/>, <see cref="AliasingBlockReader"/>). It knows varints and
/// length-delimited fields only; every read is bounds-checked and reports failure instead of throwing, so a reader
/// can give up and leave the bytes to the generated parser, which reports the error.
/// </summary>
internal ref struct WireCursor(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    /// <summary>Offset of the next unread byte.</summary>
    public int Position { get; private set; }

    public readonly bool AtEnd => Position >= _bytes.Length;

    /// <summary>A varint of at most 10 bytes; false if it runs past the end or is longer.</summary>
    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70 && Position < _bytes.Length; shift += 7)
        {
            var b = _bytes[Position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A field's tag split into field number and wire type; false on a truncated or out-of-range tag.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(out var tag) || tag > uint.MaxValue || tag >> 3 == 0)
        {
            return false;
        }
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    /// <summary>A length prefix and the range it covers (offset, length), which must lie within the bytes.</summary>
    public bool TryReadLengthDelimited(out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (!TryReadVarint(out var declared) || declared > (ulong)(_bytes.Length - Position))
        {
            return false;
        }
        offset = Position;
        length = (int)declared;
        Position += length;
        return true;
    }
}
